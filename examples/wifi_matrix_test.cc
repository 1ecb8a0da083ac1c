// The case study as a parametrized suite: security mode (open, WPA2-PSK,
// WPA3-SAE) x number of stations (1, 2, 4) x latency added on the AP's
// radio (0 or 50 ms). Each case: every station scans, associates, gets a
// DHCP lease and pings the AP.
//
// In the VM tier (CI): the 18 cases take about 12 minutes under the VM's
// software CPU emulation (25 s with one station, 60 s with four). Alone:
//   bazel test //examples:wifi_matrix_test --test_env=DOCKER_HOST=<vm engine>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/traffic_control.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::WifiApNode;
using cirque::capabilities::TrafficShape;
using cirque::testing::WifiAccessPointSpec;
using cirque::testing::WifiStationSpec;
using cirque::testing::WifiStationNode;

using Scenario = std::tuple<std::string, int, int>;  // security, stations, latency ms

class WifiMatrixTest : public cirque::testing::VirtualHomeTest,
                       public ::testing::WithParamInterface<Scenario> {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    const auto& [security, stations, latency_ms] = GetParam();
    // WiFi is listed before TrafficControl: wlan0, which the shape is
    // for, exists once WiFi is enabled.
    NodeSpec ap = WifiAccessPointSpec("ap", {.ssid = "matrix-" + security, .security = security});
    if (latency_ms > 0) ap.With(TrafficShape{.latency_ms = latency_ms, .interface = "wlan0"});
    std::vector<NodeSpec> nodes = {ap};
    for (int i = 1; i <= stations; ++i) nodes.push_back(WifiStationSpec("sta" + std::to_string(i)));
    return nodes;
  }
};

TEST_P(WifiMatrixTest, EveryStationJoinsAndReachesTheAp) {
  const auto& [security, stations, latency_ms] = GetParam();
  WifiApNode ap(node("ap"));
  for (int i = 1; i <= stations; ++i) {
    WifiStationNode station(node("sta" + std::to_string(i)));
    EXPECT_SCAN_FINDS(station, ap.ssid());
    station.Connect(ap);
    ASSERT_ASSOCIATED(station, ap);
    ASSERT_DHCP_LEASE(station);
    cirque::testing::PingResult ping = cirque::testing::Ping(station, ap, 2);
    EXPECT_THAT(ping, cirque::testing::Replied());
    if (latency_ms > 0) {
      EXPECT_GE(ping.average_rtt_ms, latency_ms * 0.9) << ::testing::PrintToString(ping);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    SecurityStationsLatency, WifiMatrixTest,
    ::testing::Combine(::testing::Values("open", "wpa2", "wpa3"), ::testing::Values(1, 2, 4),
                       ::testing::Values(0, 50)),
    [](const ::testing::TestParamInfo<Scenario>& info) {
      return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param)) + "stations_" +
             std::to_string(std::get<2>(info.param)) + "ms";
    });

}  // namespace
