// Covers WiFi against hwsim radios (VM tier): a wrong passphrase fails
// EXPECT_ASSOCIATED with a clear message; two homes on the same SSID do not
// hear each other; a station re-associates after its AP restarts; an open
// network works without a passphrase.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <sstream>

#include "capabilities/wifi_wait.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/assertions.h"
#include "fixtures/required_features.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace cirque::testing {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::Field;
using ::testing::Not;
using ::testing::SizeIs;

NodeSpec AccessPoint(const std::string& ssid, const std::string& security = "wpa2") {
  return WifiAccessPointSpec(
      "ap", {.ssid = ssid, .passphrase = security == "open" ? "" : "right-passphrase", .security = security});
}

NodeSpec Station(const std::string& name) { return WifiStationSpec(name); }

class OneStationTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {AccessPoint("cq-one"), Station("sta")}; }
};

TEST_F(OneStationTest, WrongPassphraseFailsAssociationClearly) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta(node("sta"));
  sta.Connect(ap.ssid(), "wrong-passphrase", "wpa2", ap.channel());
  WifiStatus status = sta.WaitAssociated(std::chrono::seconds(8));
  EXPECT_FALSE(status.associated());
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(status, IsAssociatedWith(ap.ssid(), ap.bssid())),
                          "is associated with AP 'cq-one'");
  std::string printed = ::testing::PrintToString(status);
  EXPECT_THAT(printed, ::testing::HasSubstr("station 'sta' in state"));
  EXPECT_THAT(printed, ::testing::HasSubstr("wpa_supplicant log ends"));
}

TEST_F(OneStationTest, CaptureOfTheHomesRadioIsReadableByTshark) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta(node("sta"));
  sta.Connect(ap);
  ASSERT_ASSOCIATED(sta, ap);
  std::string dir = SaveHomeLogs(home(), "OneStationTest.Capture");
  ASSERT_NE(dir, "") << "TEST_UNDECLARED_OUTPUTS_DIR is not set under bazel test";
  ProcessResult read = RunProcess({"tshark", "-r", dir + "/ap-cirque-wlan.pcap"});
  ASSERT_EQ(read.exit_code, 0) << read.stderr_text;
  EXPECT_THAT(read.stdout_text, ::testing::HasSubstr("Beacon frame"));
  EXPECT_THAT(read.stdout_text, ::testing::HasSubstr("SSID=\"cq-one\""));
  EXPECT_THAT(read.stdout_text, ::testing::HasSubstr("Association Request"));
  EXPECT_THAT(read.stdout_text, ::testing::HasSubstr("Key (Message 4 of 4)"));
  std::ifstream supplicant_log(dir + "/sta-cirque-wpa_supplicant.log");
  EXPECT_TRUE(supplicant_log.good()) << "no wpa_supplicant log among the outputs";
}

TEST_F(OneStationTest, ReassociatesAfterTheApRestarts) {
  WifiApNode before(node("ap"));
  WifiStationNode sta(node("sta"));
  sta.Connect(before);
  ASSERT_ASSOCIATED(sta, before);
  home().RestartNode("ap");
  WifiApNode after(node("ap"));
  EXPECT_ASSOCIATED(sta, after);
}

class OpenNetworkTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {AccessPoint("cq-open", "open"), Station("sta")}; }
};

TEST_F(OpenNetworkTest, StationJoinsWithoutAPassphrase) {
  WifiApNode ap(node("ap"));
  WifiStationNode sta(node("sta"));
  std::vector<ScanEntry> seen = sta.Scan(ap.ssid(), ap.channel());
  EXPECT_THAT(seen, Contains(AllOf(HasSsid("cq-open"), Field(&ScanEntry::security, "open"))));
  sta.Connect(ap);
  ASSERT_ASSOCIATED(sta, ap);
  ASSERT_DHCP_LEASE(sta);
  EXPECT_PING(sta, ap);
}

TEST(WifiIsolationTest, TwoHomesOnOneSsidDoNotHearEachOther) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  std::unique_ptr<home::VirtualHome> first, second;
  try {
    first = home::VirtualHome::Create(environment.HomeOptionsFor("same-ssid-1"),
                                      {AccessPoint("cq-shared"), Station("sta")});
    second = home::VirtualHome::Create(environment.HomeOptionsFor("same-ssid-2"),
                                       {AccessPoint("cq-shared"), Station("sta")});
  } catch (const home::UnmetRequirementError& unmet) {
    CIRQUE_SKIP_UNLESS_REQUIRED(unmet);
  }
  WifiApNode first_ap(first->node("ap")), second_ap(second->node("ap"));
  WifiStationNode first_sta(first->node("sta")), second_sta(second->node("sta"));
  // Each station sees exactly one 'cq-shared': its own home's AP.
  auto seen_by_first = first_sta.Scan("cq-shared", 6);
  auto seen_by_second = second_sta.Scan("cq-shared", 6);
  EXPECT_THAT(seen_by_first, Contains(Field(&ScanEntry::bssid, first_ap.bssid())));
  EXPECT_THAT(seen_by_first, Each(Field(&ScanEntry::bssid, Not(second_ap.bssid()))));
  EXPECT_THAT(seen_by_second, Contains(Field(&ScanEntry::bssid, second_ap.bssid())));
  EXPECT_THAT(seen_by_second, Each(Field(&ScanEntry::bssid, Not(first_ap.bssid()))));
}

}  // namespace
}  // namespace cirque::testing

namespace cirque::testing {
namespace {

// The hwsim radios on the engine's host, wherever they live.
int RadioCount(home::HostAgent& agent) {
  docker::ExecResult listed = agent.Exec({"ls", "/sys/class/mac80211_hwsim"});
  std::istringstream names(listed.stdout_text);
  int count = 0;
  for (std::string name; names >> name;) ++count;
  return count;
}

TEST(WifiReapTest, RadiosOfAKilledRunAreDeletedByTheNextHome) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  home::HostAgent agent(environment.client(), environment.ResolveImage("generic"), "radio-count-" + home::NewId());
  const int before = RadioCount(agent);
  ProcessOptions slow;
  slow.deadline = std::chrono::minutes(5);
  ProcessResult killed = RunProcess({"tests/home/home_maker", "doomed-wifi", "1", "--wifi", "--die"}, slow);
  if (killed.stderr_text.find("hwsim") != std::string::npos && killed.exit_code != 128 + SIGKILL) {
    GTEST_SKIP() << killed.stderr_text;
  }
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.stderr_text;
  EXPECT_EQ(RadioCount(agent), before + 2) << "the killed run's AP and station radios";
  auto survivor = home::VirtualHome::Create(environment.HomeOptionsFor("after-doomed-wifi"), {NodeSpec::Named("n")});
  // The kernel deletes a radio when its namespace is cleaned up, which it
  // does in the background once the reaper removed the node.
  int after = RadioCount(agent);
  capabilities::WaitUntil([&] { return (after = RadioCount(agent)) == before; }, std::chrono::seconds(20));
  EXPECT_EQ(after, before) << "radios left of the killed run";
}

}  // namespace
}  // namespace cirque::testing
