// Splits Docker's multiplexed stdout/stderr stream into its two streams.
//
// A non-tty exec or log stream is a sequence of frames: an 8-byte header
// [stream: 1 byte][0 0 0][payload size: 4 bytes big-endian] and the payload.
// Frames may arrive split across reads at any byte; Feed buffers the partial
// frame until the rest comes.
//
// Thread safety: not thread-safe; one demuxer per stream.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_STREAM_DEMUXER_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_STREAM_DEMUXER_H_

#include <functional>
#include <string>
#include <string_view>

#include "cirque_test/docker/exec_spec.h"

namespace cirque::docker::internal {

class StreamDemuxer {
 public:
  using Sink = std::function<void(OutputStream, std::string_view)>;

  // `sink` receives each payload piece with the stream it belongs to.
  explicit StreamDemuxer(Sink sink) : sink_(std::move(sink)) {}

  // Consumes the next bytes of the stream.
  void Feed(std::string_view data);

  // True when the bytes fed so far end on a frame boundary. A stream that
  // ends otherwise was cut short.
  bool AtFrameBoundary() const { return header_.empty() && payload_left_ == 0; }

 private:
  Sink sink_;
  std::string header_;     // bytes of a header not yet complete
  size_t payload_left_ = 0;  // bytes of the current frame still to come
  OutputStream current_ = OutputStream::kStdout;
};

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_STREAM_DEMUXER_H_
