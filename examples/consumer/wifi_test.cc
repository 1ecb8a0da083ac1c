// WiFi from a user's workspace: a station joins an access point, gets a
// lease and pings it. Needs mac80211_hwsim: the VM tier (tag "vm") where the
// host kernel lacks it; skipped with the reason elsewhere.
#include <gtest/gtest.h>

#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::WifiAccessPointSpec;
using cirque::testing::WifiApNode;
using cirque::testing::WifiStationNode;
using cirque::testing::WifiStationSpec;

class ThermostatWifiTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {WifiAccessPointSpec("ap", {.ssid = "acme-home", .passphrase = "thermostat-secret"}),
            WifiStationSpec("thermostat")};
  }
};

TEST_F(ThermostatWifiTest, JoinsTheAccessPoint) {
  WifiApNode ap(node("ap"));
  WifiStationNode thermostat(node("thermostat"));
  thermostat.Connect(ap);
  ASSERT_ASSOCIATED(thermostat, ap);
  ASSERT_DHCP_LEASE(thermostat);
  EXPECT_PING(thermostat, ap);
}

}  // namespace
