#include "capabilities/thread/ot_ctl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(OtCtlReplyTest, ReadsLinesAndDone) {
  OtCtlReply reply = ParseOtCtlReply("fd00:0:0:0:0:ff:fe00:fc00\r\nfe80:0:0:0:1:2:3:4\r\nDone\r\n");
  EXPECT_TRUE(reply.done);
  EXPECT_EQ(reply.error, "");
  EXPECT_THAT(reply.lines, ElementsAre("fd00:0:0:0:0:ff:fe00:fc00", "fe80:0:0:0:1:2:3:4"));
}

TEST(OtCtlReplyTest, ReadsAnError) {
  OtCtlReply reply = ParseOtCtlReply("Error 7: InvalidArgs\r\n");
  EXPECT_FALSE(reply.done);
  EXPECT_EQ(reply.error, "Error 7: InvalidArgs");
  EXPECT_THAT(reply.lines, IsEmpty());
}

TEST(OtCtlReplyTest, DropsPromptsAndBlankLines) {
  OtCtlReply reply = ParseOtCtlReply("> state\r\n\r\nleader\r\n> \r\nDone\r\n");
  EXPECT_THAT(reply.lines, ElementsAre("state", "leader"));
}

TEST(ThreadRoleTest, KnowsTheRoles) {
  for (const char* role : {"disabled", "detached", "child", "router", "leader"}) EXPECT_TRUE(IsThreadRole(role));
  EXPECT_FALSE(IsThreadRole("Leader"));
  EXPECT_FALSE(IsThreadRole(""));
}

}  // namespace
}  // namespace cirque::capabilities
