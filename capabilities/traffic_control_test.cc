// Covers the tc commands TrafficControl runs for each kind of shape.
#include "capabilities/traffic_control.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities {
namespace {

using ::testing::ElementsAre;

TEST(TcCommandForTest, RateAloneUsesTbf) {
  EXPECT_THAT(TcCommandFor({.rate_kbit = 1000}),
              ElementsAre("tc", "qdisc", "replace", "dev", "eth0", "root", "handle", "1:", "tbf",
                          "rate", "1000kbit", "burst", "6056", "latency", "400ms"));
}

TEST(TcCommandForTest, LatencyJitterLossAndRateUseNetem) {
  EXPECT_THAT(TcCommandFor({.latency_ms = 100, .jitter_ms = 10, .loss_percent = 2.5,
                            .rate_kbit = 512, .interface = "wlan0"}),
              ElementsAre("tc", "qdisc", "replace", "dev", "wlan0", "root", "handle", "1:", "netem",
                          "delay", "100ms", "10ms", "loss", "2.5%", "rate", "512kbit"));
}

TEST(TrafficControlTest, RequiresNetemOnlyWhenItUsesIt) {
  EXPECT_EQ(TrafficControl({.rate_kbit = 100}).Requirements().at(0).name, "tbf");
  EXPECT_EQ(TrafficControl({.loss_percent = 1}).Requirements().at(0).name, "netem");
}

}  // namespace
}  // namespace cirque::capabilities
