// The case study: a home with a WiFi access point and two stations. The
// stations scan, find the AP, are provisioned with its SSID and passphrase,
// associate, get addresses by DHCP, and ping each other and the AP. Then the
// home is destroyed. Real hostapd, wpa_supplicant and dnsmasq, over
// mac80211_hwsim radios (the VM tier provides them where the host kernel
// does not).
#include <iostream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::WifiApNode;
using cirque::testing::WifiAccessPointSpec;
using cirque::testing::WifiStationSpec;
using cirque::testing::WifiStationNode;

void Phase(const std::string& what) { std::cout << "[case study] " << what << std::endl; }

class WifiProvisioningTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    Phase("setting up: an access point and two stations, radios and all");
    return {WifiAccessPointSpec("ap", {.ssid = "virtual-home", .passphrase = "correct horse battery"}),
            WifiStationSpec("sta1"), WifiStationSpec("sta2")};
  }
};

TEST_F(WifiProvisioningTest, StationsJoinTheApAndReachEachOther) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta1(node("sta1")), sta2(node("sta2"));
  Phase("AP '" + ap.ssid() + "' up on channel " + std::to_string(ap.channel()) + " as " + ap.bssid());

  Phase("scan");
  EXPECT_SCAN_FINDS(sta1, ap.ssid());
  EXPECT_SCAN_FINDS(sta2, ap.ssid());

  Phase("provision and associate");
  sta1.Connect(ap);
  sta2.Connect(ap);
  ASSERT_ASSOCIATED(sta1, ap);
  ASSERT_ASSOCIATED(sta2, ap);

  Phase("DHCP");
  ASSERT_DHCP_LEASE(sta1);
  ASSERT_DHCP_LEASE(sta2);
  Phase("leases: sta1 " + sta1.address() + ", sta2 " + sta2.address());

  Phase("ping");
  EXPECT_PING(sta1, ap);
  EXPECT_PING(sta2, ap);
  EXPECT_PING(sta1, sta2);
  EXPECT_PING(sta2, sta1);
  Phase("done; the home is destroyed in TearDown");
}

}  // namespace
