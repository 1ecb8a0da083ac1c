// Covers the access point's settings end to end against hwsim radios (VM
// tier): two APs with distinct SSIDs in one home, on 2.4 and 5 GHz; a hidden
// SSID that a scan does not show but a provisioned station joins; bridge
// mode, where stations get addresses on the home's wired network and reach
// a wired node directly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace cirque::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::Ge;
using ::testing::Not;
using ::testing::StartsWith;

WifiSettings Network(const std::string& ssid, int channel) {
  return {.ssid = ssid, .passphrase = "right-passphrase", .channel = channel};
}

// "10.200.3.140" -> 140.
int LastOctet(const std::string& address) { return std::atoi(address.substr(address.rfind('.') + 1).c_str()); }

// "10.200.3.140" -> "10.200.3.".
std::string Prefix(const std::string& address) { return address.substr(0, address.rfind('.') + 1); }

class TwoAccessPointsTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    WifiSettings cellar_network = Network("cq-cellar", 36);
    cellar_network.security = "wpa3";
    NodeSpec cellar = WifiAccessPointSpec("cellar", cellar_network);
    return {WifiAccessPointSpec("attic", Network("cq-attic", 1)), cellar, WifiStationSpec("sta")};
  }
};

TEST_F(TwoAccessPointsTest, StationSeesBothBandsAndJoinsTheOneItIsGiven) {
  WifiApNode attic(node("attic")), cellar(node("cellar"));
  WifiStationNode sta(node("sta"));
  ASSERT_NE(attic.bssid(), cellar.bssid());
  ASSERT_NE(Prefix(attic.address()), Prefix(cellar.address())) << "each AP has a subnet of its own";
  // One scan over the simulated channels sees both, each on its band.
  std::vector<ScanEntry> seen = sta.Scan("cq-cellar");
  EXPECT_THAT(seen, Contains(AllOf(HasSsid("cq-cellar"), Field(&ScanEntry::frequency_mhz, 5180),
                                   Field(&ScanEntry::security, "wpa3"))));
  if (std::none_of(seen.begin(), seen.end(), [](const ScanEntry& entry) { return entry.ssid == "cq-attic"; })) {
    seen = sta.Scan("cq-attic");
  }
  EXPECT_THAT(seen, Contains(AllOf(HasSsid("cq-attic"), Field(&ScanEntry::frequency_mhz, 2412))));

  sta.Connect(cellar);
  ASSERT_ASSOCIATED(sta, cellar);
  ASSERT_DHCP_LEASE(sta);
  EXPECT_THAT(sta.address(), StartsWith(Prefix(cellar.address())));
  EXPECT_PING(sta, cellar);
}

class HiddenSsidTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    WifiSettings network = Network("cq-hidden", 11);
    network.hidden = true;
    return {WifiAccessPointSpec("ap", network), WifiStationSpec("sta")};
  }
};

TEST_F(HiddenSsidTest, ScanDoesNotShowItButAProvisionedStationJoins) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta(node("sta"));
  // The AP still beacons, without its name: wait for its BSSID (waiting for
  // a name that never comes would only end at a deadline, and a deadline
  // short enough to be cheap was too short for a loaded VM).
  std::vector<ScanEntry> seen = sta.ScanFor(ap);
  EXPECT_THAT(seen, Contains(Field(&ScanEntry::bssid, ap.bssid())));
  EXPECT_THAT(seen, Not(Contains(HasSsid("cq-hidden"))));
  sta.Connect(ap);  // scan_ssid=1: probes for the name
  ASSERT_ASSOCIATED(sta, ap);
  ASSERT_DHCP_LEASE(sta);
  EXPECT_PING(sta, ap);
}

class BridgeModeTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    WifiSettings network = Network("cq-bridged", 6);
    network.mode = "bridge";
    return {WifiAccessPointSpec("ap", network), NodeSpec::Named("hub"), WifiStationSpec("sta")};
  }
};

TEST_F(BridgeModeTest, StationJoinsTheWiredNetworkAndReachesAWiredNode) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta(node("sta"));
  home::Node& hub = node("hub");
  EXPECT_EQ(ap.address(), node("ap").ipv4_address()) << "a bridging AP keeps its wired address";
  sta.Connect(ap);
  ASSERT_ASSOCIATED(sta, ap);
  ASSERT_DHCP_LEASE(sta);
  const std::string address = sta.address();
  EXPECT_THAT(address, StartsWith(Prefix(hub.ipv4_address()))) << "a lease on the home's wired network";
  EXPECT_THAT(LastOctet(address), Ge(129)) << "in the half Docker leaves free";
  EXPECT_PING(sta, hub);
  EXPECT_PING(sta, ap);
}

}  // namespace
}  // namespace cirque::testing
