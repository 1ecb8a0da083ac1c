// Covers the HDLC-lite framing and the Spinel version query that
// cirque_thread_tty uses to check that a device answers.
#include "capabilities/thread/spinel_hdlc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities::thread {
namespace {

using ::testing::ElementsAre;

TEST(HdlcTest, FcsIsCrc16X25) {
  // The CRC-16/X.25 check value of "123456789".
  EXPECT_EQ(HdlcFcs("123456789"), 0x906e);
}

TEST(HdlcTest, EscapesReservedBytesAndRoundTrips) {
  const std::string payload("\x7e\x7d\x11\x13\xf8\x01", 6);
  std::string framed = HdlcEncode(payload);
  EXPECT_EQ(framed.front(), '\x7e');
  EXPECT_EQ(framed.back(), '\x7e');
  // No reserved byte inside the frame.
  for (size_t i = 1; i + 1 < framed.size(); ++i) {
    unsigned char byte = framed[i];
    EXPECT_TRUE(byte != 0x7e && byte != 0x11 && byte != 0x13 && byte != 0xf8) << i;
  }
  HdlcDecoder decoder;
  EXPECT_THAT(decoder.Feed(framed), ElementsAre(payload));
}

TEST(HdlcTest, DecodesAcrossReadsAndDropsBadFrames) {
  std::string good = HdlcEncode("abc");
  std::string bad = HdlcEncode("xyz");
  bad[2] ^= 1;
  HdlcDecoder decoder;
  EXPECT_TRUE(decoder.Feed("junk" + bad + good.substr(0, 3)).empty());
  EXPECT_THAT(decoder.Feed(good.substr(3)), ElementsAre("abc"));
  EXPECT_EQ(decoder.dropped(), 1);
}

TEST(SpinelTest, AsksForAndReadsTheNcpVersion) {
  EXPECT_EQ(SpinelGetNcpVersion(1), std::string("\x81\x02\x02", 3));
  std::string answer = std::string("\x81\x06\x02", 3) + "OPENTHREAD/1.4; SIMULATION" + std::string(1, '\0');
  EXPECT_EQ(ParseSpinelNcpVersion(answer), "OPENTHREAD/1.4; SIMULATION");
  EXPECT_FALSE(ParseSpinelNcpVersion(std::string("\x81\x06\x03x", 4)).has_value());  // another property
  EXPECT_FALSE(ParseSpinelNcpVersion(std::string("\x01\x06\x02x", 4)).has_value());  // no Spinel flag
  EXPECT_FALSE(ParseSpinelNcpVersion("\x81").has_value());
}

}  // namespace
}  // namespace cirque::capabilities::thread
