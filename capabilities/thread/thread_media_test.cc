#include "capabilities/thread/thread_media.h"

#include "capabilities/thread/thread_links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "cirque_test/util/testing/error_from.h"

namespace cirque::capabilities {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(ThreadMediaTest, IdsAreUniquePerPetitionAndReused) {
  ThreadMedia media;
  EXPECT_EQ(media.Join("a", 0, 1).node_id, 1);
  EXPECT_EQ(media.Join("b", 0, 1).node_id, 2);
  EXPECT_EQ(media.Join("c", 1, 1).node_id, 1);  // another medium
  EXPECT_EQ(media.Join("a", 0, 1).node_id, 1);  // joining again changes nothing
  media.Leave("a");
  EXPECT_EQ(media.Join("d", 0, 1).node_id, 1);
  EXPECT_EQ(media.MemberOf("c").petition, 1);
  EXPECT_EQ(media.Members().size(), 3u);
}

TEST(ThreadMediaTest, PortsFollowOpenThreadsPortOffset) {
  EXPECT_EQ(ThreadListenPort(0), 9000);
  EXPECT_EQ(ThreadSendPort(0, 3), 9003);
  EXPECT_EQ(ThreadListenPort(2), 9068);
  EXPECT_EQ(ThreadSendPort(2, 33), 9101);
}

TEST(ThreadMediaTest, A34thNodeOnOneMediumIsRefusedWithTheFix) {
  ThreadMedia media;
  for (int i = 0; i < kMaxThreadNodesPerPetition; ++i) media.Join("n" + std::to_string(i), 0, 1);
  Error error = ErrorFrom([&] { media.Join("extra", 0, 1); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'extra'"), HasSubstr("thread_petition 0"), HasSubstr("33"),
                                  HasSubstr("another petition")));
  EXPECT_EQ(media.Join("other", 1, 1).node_id, 1);
}

TEST(ThreadMediaTest, EveryNodeOfAHomeRunsAtOneSpeed) {
  ThreadMedia media;
  media.Join("first", 0, 10);
  Error error = ErrorFrom([&] { media.Join("second", 1, 1); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'second'"), HasSubstr("time_speed 1"), HasSubstr("10 of node 'first'")));
}

TEST(ThreadMediaTest, UnknownNodeIsNotFound) {
  ThreadMedia media;
  EXPECT_EQ(ErrorFrom([&] { media.MemberOf("ghost"); }).code(), ErrorCode::kNotFound);
}

TEST(ThreadLinksTest, DropRuleMatchesThePeersFramesToThisMedium) {
  ThreadMember from{"a", 2, 5}, to{"b", 2, 7};
  EXPECT_THAT(LinkDropRule(from, to, 0.25),
              ::testing::ElementsAre("-p", "udp", "--sport", "9073", "--dport", "9068", "-m", "statistic", "--mode",
                                     "random", "--probability", "0.250000", "-m", "comment", "--comment",
                                     "cirque thread link from a", "-j", "DROP"));
  // A cut link drops everything: no statistic match.
  EXPECT_THAT(LinkDropRule(from, to, 1),
              ::testing::ElementsAre("-p", "udp", "--sport", "9073", "--dport", "9068", "-m", "comment", "--comment",
                                     "cirque thread link from a", "-j", "DROP"));
}

}  // namespace
}  // namespace cirque::capabilities
