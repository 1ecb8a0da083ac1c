#include "cirque_test/home/timeline.h"

namespace cirque::home {

void Timeline::Record(std::string what, Clock::time_point begin, Clock::time_point end) {
  auto seconds = [this](Clock::time_point at) { return std::chrono::duration<double>(at - origin_).count(); };
  std::lock_guard<std::mutex> lock(mutex_);
  spans_.push_back({std::move(what), seconds(begin), seconds(end)});
}

std::vector<Timeline::Span> Timeline::Spans() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spans_;
}

double Timeline::LastEnd(const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  double last = -1;
  for (const auto& span : spans_) {
    if (span.what.rfind(prefix, 0) == 0 && span.end_s > last) last = span.end_s;
  }
  return last;
}

}  // namespace cirque::home
