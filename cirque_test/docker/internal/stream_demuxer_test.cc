// Covers the multiplexed stream framing: frames split at every byte, frames
// interleaved between stdout and stderr, and large payloads.
#include "cirque_test/docker/internal/stream_demuxer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/docker/testing/fake_engine.h"

namespace cirque::docker::internal {
namespace {

using testing::Frame;

struct Collected {
  std::string out, err;
  StreamDemuxer::Sink Sink() {
    return [this](OutputStream stream, std::string_view data) {
      (stream == OutputStream::kStderr ? err : out).append(data);
    };
  }
};

TEST(StreamDemuxerTest, SeparatesStdoutAndStderr) {
  Collected collected;
  StreamDemuxer demuxer(collected.Sink());
  demuxer.Feed(Frame(1, "hello ") + Frame(2, "oops\n") + Frame(1, "world\n"));
  EXPECT_EQ(collected.out, "hello world\n");
  EXPECT_EQ(collected.err, "oops\n");
  EXPECT_TRUE(demuxer.AtFrameBoundary());
}

TEST(StreamDemuxerTest, ReassemblesFramesSplitAtEveryByte) {
  const std::string stream = Frame(1, "first") + Frame(2, "second") + Frame(1, "");
  for (size_t split = 0; split <= stream.size(); ++split) {
    Collected collected;
    StreamDemuxer demuxer(collected.Sink());
    demuxer.Feed(std::string_view(stream).substr(0, split));
    demuxer.Feed(std::string_view(stream).substr(split));
    EXPECT_EQ(collected.out, "first") << "split at " << split;
    EXPECT_EQ(collected.err, "second") << "split at " << split;
  }
}

TEST(StreamDemuxerTest, ReassemblesOneByteAtATime) {
  const std::string stream = Frame(2, "abc") + Frame(1, "defgh");
  Collected collected;
  StreamDemuxer demuxer(collected.Sink());
  for (char c : stream) demuxer.Feed(std::string_view(&c, 1));
  EXPECT_EQ(collected.out, "defgh");
  EXPECT_EQ(collected.err, "abc");
}

TEST(StreamDemuxerTest, HandlesLargePayloads) {
  std::string big(3 * 1024 * 1024 + 17, 'x');
  big[12345] = 'y';
  const std::string stream = Frame(1, big) + Frame(2, big.substr(0, 70000));
  Collected collected;
  StreamDemuxer demuxer(collected.Sink());
  for (size_t offset = 0; offset < stream.size(); offset += 16384) {
    demuxer.Feed(std::string_view(stream).substr(offset, 16384));
  }
  EXPECT_EQ(collected.out, big);
  EXPECT_EQ(collected.err.size(), 70000u);
}

TEST(StreamDemuxerTest, ReportsAStreamCutShort) {
  Collected collected;
  StreamDemuxer demuxer(collected.Sink());
  demuxer.Feed(Frame(1, "complete").substr(0, 11));
  EXPECT_FALSE(demuxer.AtFrameBoundary());
  EXPECT_EQ(collected.out, "com");
}

}  // namespace
}  // namespace cirque::docker::internal
