#include "cirque_test/docker/internal/json_lines.h"

namespace cirque::docker::internal {

void JsonLineSplitter::Feed(std::string_view data) {
  pending_.append(data);
  size_t start = 0;
  for (size_t newline; (newline = pending_.find('\n', start)) != std::string::npos;
       start = newline + 1) {
    std::string_view line(pending_.data() + start, newline - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) on_line_(line);
  }
  pending_.erase(0, start);
}

void JsonLineSplitter::Finish() {
  if (!pending_.empty()) on_line_(pending_);
  pending_.clear();
}

}  // namespace cirque::docker::internal
