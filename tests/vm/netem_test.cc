// Covers TrafficControl's netem shapes on an engine whose kernel has netem
// (VM tier): latency, jitter and loss, set at start and changed at run time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/traffic_control.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

class NetemTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {NodeSpec::Named("far").With(capabilities::TrafficShape{.latency_ms = 150}),
            NodeSpec::Named("near")};
  }
  capabilities::TrafficControl& Control() {
    return node("far").CapabilityAs<capabilities::TrafficControl>(capabilities::kTrafficControl);
  }
};

TEST_F(NetemTest, LatencySetAtStartShowsInTheRoundTrip) {
  PingResult ping = Ping(node("far"), node("near"), 3);
  ASSERT_THAT(ping, Replied());
  EXPECT_GE(ping.average_rtt_ms, 140.0) << ::testing::PrintToString(ping);
  EXPECT_THAT(RunOn(node("far"), {"tc", "qdisc", "show", "dev", "eth0"}), StdoutHas("delay 150ms"));
}

TEST_F(NetemTest, ChangedAtRunTime) {
  Control().Reshape(node("far"), {.latency_ms = 20, .jitter_ms = 5});
  EXPECT_THAT(RunOn(node("far"), {"tc", "qdisc", "show", "dev", "eth0"}),
              StdoutHas("delay 20ms  5ms"));
  PingResult ping = Ping(node("far"), node("near"), 3);
  ASSERT_THAT(ping, Replied());
  EXPECT_LT(ping.average_rtt_ms, 140.0) << ::testing::PrintToString(ping);
}

TEST_F(NetemTest, TotalLossDropsEverything) {
  Control().Reshape(node("far"), {.loss_percent = 100});
  EXPECT_NO_PING(node("far"), node("near"));
  Control().Reshape(node("far"), {});
  EXPECT_PING(node("far"), node("near"));
}

}  // namespace
}  // namespace cirque::testing
