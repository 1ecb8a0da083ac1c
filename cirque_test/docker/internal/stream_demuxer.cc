#include "cirque_test/docker/internal/stream_demuxer.h"

#include <algorithm>

namespace cirque::docker::internal {

namespace {
constexpr size_t kHeaderSize = 8;
}  // namespace

void StreamDemuxer::Feed(std::string_view data) {
  while (!data.empty()) {
    if (payload_left_ > 0) {
      size_t take = std::min(payload_left_, data.size());
      sink_(current_, data.substr(0, take));
      payload_left_ -= take;
      data.remove_prefix(take);
      continue;
    }
    size_t take = std::min(kHeaderSize - header_.size(), data.size());
    header_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (header_.size() < kHeaderSize) return;
    // Stream 0 is stdin (echoed with a tty); treat it, and 1, as stdout.
    current_ = header_[0] == 2 ? OutputStream::kStderr : OutputStream::kStdout;
    payload_left_ = (static_cast<size_t>(static_cast<unsigned char>(header_[4])) << 24) |
                    (static_cast<size_t>(static_cast<unsigned char>(header_[5])) << 16) |
                    (static_cast<size_t>(static_cast<unsigned char>(header_[6])) << 8) |
                    static_cast<size_t>(static_cast<unsigned char>(header_[7]));
    header_.clear();
  }
}

}  // namespace cirque::docker::internal
