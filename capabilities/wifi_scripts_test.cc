// Covers the WiFi station's steps against the scripts they run: each step
// execs {"sh", "-c", <script>, <name>, args...} in its node, and each
// argument must land in the positional parameter the script reads it from.
// The argv is taken from what WifiStation really ran (on a FakeNodeRuntime)
// and then run here by sh, with the tools it calls stubbed (ScriptStubs),
// so what each tool received shows where every argument went. The AP's and
// the station's set-up scripts are covered in wifi_enable_scripts_test.cc.
#include "capabilities/wifi_scripts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/testing/script_stubs.h"
#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_settings.h"
#include "capabilities/wifi_station.h"
#include "cirque_test/home/testing/fake_node_runtime.h"

namespace cirque::capabilities {
namespace {

using home::testing::FakeNodeRuntime;
using testing::ScriptStubs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// wpa_cli's arguments before the command, as the scripts pass them.
const std::vector<std::string> kWpaCliPrefix = {"-p", "/run/wpa_supplicant", "-i", "wlan0"};

std::vector<std::string> WpaCli(std::vector<std::string> command) {
  command.insert(command.begin(), kWpaCliPrefix.begin(), kWpaCliPrefix.end());
  return command;
}

// The settings `set_network <id> <key> <value>` calls gave, by key.
std::map<std::string, std::string> NetworkSettings(const std::vector<std::vector<std::string>>& calls) {
  std::map<std::string, std::string> settings;
  for (const auto& call : calls) {
    if (call.size() == 8 && call[4] == "set_network" && call[5] == "0") settings[call[6]] = call[7];
  }
  return settings;
}

class WifiStationScriptsTest : public ::testing::Test {
 protected:
  // The argv of the one exec the station ran, checked for the script's shape.
  std::vector<std::string> OnlyExec(const char* script, const std::string& name) {
    std::vector<std::vector<std::string>> argvs = node_.ExecArgvs();
    EXPECT_THAT(argvs, SizeIs(1));
    if (argvs.empty()) return {};
    const std::vector<std::string>& argv = argvs.back();
    EXPECT_GE(argv.size(), 4u);
    if (argv.size() < 4) return {};
    EXPECT_EQ(argv[0], "sh");
    EXPECT_EQ(argv[1], "-c");
    EXPECT_EQ(argv[2], script);
    EXPECT_EQ(argv[3], name);
    return argv;
  }

  FakeNodeRuntime node_{"station"};
  WifiStation station_{WifiSettings{}, WifiRadioOptions{}};
  ScriptStubs stubs_;
};

TEST(ScriptArgvTest, NameIsDollarZeroAndArgumentsFollowInOrder) {
  EXPECT_THAT(ScriptArgv("echo \"$0:$1:$2\"", "step", {"one", "two words"}),
              ElementsAre("sh", "-c", "echo \"$0:$1:$2\"", "step", "one", "two words"));
  ProcessResult run = RunProcess(ScriptArgv("printf '%s|%s|%s' \"$0\" \"$1\" \"$2\"", "step", {"one", "two words"}));
  EXPECT_EQ(run.stdout_text, "step|one|two words");
  EXPECT_EQ(ScriptSeconds(std::chrono::milliseconds(1)), "1");
  EXPECT_EQ(ScriptSeconds(std::chrono::milliseconds(2500)), "3");
}

TEST_F(WifiStationScriptsTest, ConnectGivesHexSsidQuotedPassphraseAndFrequency) {
  station_.Connect(node_, "Home Net", "pass phrase!", "wpa2", 6);
  std::vector<std::string> argv = OnlyExec(kConnectScript, "connect");
  ProcessResult run = stubs_.Run(argv);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "id=0\n");
  std::vector<std::vector<std::string>> calls = stubs_.Calls("wpa_cli");
  std::map<std::string, std::string> network = NetworkSettings(calls);
  EXPECT_EQ(network["ssid"], SsidHex("Home Net"));
  EXPECT_EQ(network["psk"], "\"pass phrase!\"");
  EXPECT_EQ(network["key_mgmt"], "WPA-PSK");
  EXPECT_EQ(network["pairwise"], "CCMP");
  EXPECT_EQ(network["scan_freq"], "2437");
  EXPECT_EQ(network["freq_list"], "2437");
  EXPECT_EQ(network.count("sae_password"), 0u);
  EXPECT_THAT(calls.front(), ElementsAre("-p", "/run/wpa_supplicant", "-i", "wlan0", "add_network"));
  EXPECT_THAT(calls.back(), ElementsAre("-p", "/run/wpa_supplicant", "-i", "wlan0", "select_network", "0"));
}

TEST_F(WifiStationScriptsTest, ConnectWithWpa3OrOpenSecurityAndNoChannel) {
  station_.Connect(node_, "lab", "correct horse", "wpa3");
  ASSERT_EQ(stubs_.Run(OnlyExec(kConnectScript, "connect")).exit_code, 0);
  std::map<std::string, std::string> network = NetworkSettings(stubs_.Calls("wpa_cli"));
  EXPECT_EQ(network["key_mgmt"], "SAE");
  EXPECT_EQ(network["sae_password"], "\"correct horse\"");
  EXPECT_EQ(network["ieee80211w"], "2");
  EXPECT_EQ(network.count("scan_freq"), 0u);  // no channel: every one

  FakeNodeRuntime open_node("open");
  station_.Connect(open_node, "cafe", "", "open");
  ScriptStubs open_stubs;
  ASSERT_EQ(open_stubs.Run(open_node.ExecArgvs().at(0)).exit_code, 0);
  std::map<std::string, std::string> open_network = NetworkSettings(open_stubs.Calls("wpa_cli"));
  EXPECT_EQ(open_network["key_mgmt"], "NONE");
  EXPECT_EQ(open_network["ssid"], SsidHex("cafe"));
  EXPECT_EQ(open_network.count("psk"), 0u);
}

// The checks above can fail: the same script given its arguments in another
// order sets the wrong values.
TEST_F(WifiStationScriptsTest, SwappedConnectArgumentsAreCaught) {
  std::vector<std::string> swapped =
      ScriptArgv(kConnectScript, "connect", {"pass phrase!", "wpa2", SsidHex("Home Net"), "2437"});
  ASSERT_EQ(stubs_.Run(swapped).exit_code, 0);
  std::map<std::string, std::string> network = NetworkSettings(stubs_.Calls("wpa_cli"));
  EXPECT_NE(network["ssid"], SsidHex("Home Net"));
  EXPECT_NE(network["psk"], "\"pass phrase!\"");
}

TEST_F(WifiStationScriptsTest, ScanAsksOnTheChannelsFrequencyForTheSsid) {
  station_.Scan(node_, "Home Net", 6, std::chrono::seconds(3));
  std::vector<std::string> argv = OnlyExec(kScanScript, "scan");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kScanScript, "scan", "Home Net", "2437", "3", "5"));
  stubs_.Set("CQ_SCAN_SSID", "Home Net");
  ProcessResult run = stubs_.Run(argv);
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;  // found the SSID it was given
  EXPECT_THAT(run.stdout_text, HasSubstr("\tHome Net"));
  EXPECT_THAT(stubs_.Calls("wpa_cli"), Contains(WpaCli({"scan", "freq=2437"})));
}

TEST_F(WifiStationScriptsTest, ScanForBssidStopsAtAHiddenNetworksBeacon) {
  station_.ScanForBssid(node_, "02:00:00:00:08:00", 6, std::chrono::seconds(3));
  std::vector<std::string> argv = OnlyExec(kScanScript, "scan");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kScanScript, "scan", "02:00:00:00:08:00", "2437", "3", "1"));
  stubs_.Set("CQ_SCAN_SSID", "");  // the beacon carries no name
  ProcessResult run = stubs_.Run(argv);
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("02:00:00:00:08:00\t2437"));
}

TEST_F(WifiStationScriptsTest, ScanForAnotherBssidRunsToItsDeadline) {
  ProcessResult run = stubs_.Run(ScriptArgv(kScanScript, "scan", {"02:00:00:00:09:00", "2437", "1", "1"}));
  EXPECT_NE(run.exit_code, 0);
}

TEST_F(WifiStationScriptsTest, ScanWithoutChannelCoversTheSimulatedFrequencies) {
  station_.Scan(node_, "", 0, std::chrono::seconds(1));
  std::vector<std::string> argv = OnlyExec(kScanScript, "scan");
  ASSERT_THAT(argv, SizeIs(8));
  EXPECT_EQ(argv[5], SimulatedFrequencies());
  ProcessResult run = stubs_.Run(argv);
  EXPECT_EQ(run.exit_code, 0);  // no SSID asked for: the whole deadline, then the results
  EXPECT_THAT(stubs_.Calls("wpa_cli"), Contains(WpaCli({"scan", "freq=" + SimulatedFrequencies()})));
}

TEST_F(WifiStationScriptsTest, SwappedScanArgumentsAreCaught) {
  stubs_.Set("CQ_SCAN_SSID", "Home Net");
  ProcessResult run = stubs_.Run(ScriptArgv(kScanScript, "scan", {"2437", "Home Net", "1"}));
  EXPECT_NE(run.exit_code, 0);  // looked for an SSID named 2437
  EXPECT_THAT(stubs_.Calls("wpa_cli"), ::testing::Not(Contains(WpaCli({"scan", "freq=2437"}))));
}

TEST_F(WifiStationScriptsTest, WaitAssociatedPollsForItsDeadline) {
  station_.WaitAssociated(node_, std::chrono::seconds(2));
  std::vector<std::string> argv = OnlyExec(kWaitAssociatedScript, "wait-associated");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kWaitAssociatedScript, "wait-associated", "2"));
  ProcessResult associated = stubs_.Run(argv);
  EXPECT_EQ(associated.exit_code, 0);
  EXPECT_EQ(ParseKeyValues(associated.stdout_text)["wpa_state"], "COMPLETED");

  stubs_.Set("CQ_WPA_STATE", "SCANNING");
  auto start = std::chrono::steady_clock::now();
  ProcessResult waiting = stubs_.Run(argv);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(waiting.exit_code, 1);
  EXPECT_EQ(ParseKeyValues(waiting.stdout_text)["wpa_state"], "SCANNING");
  // $1 is the deadline: about two seconds (whole seconds of `date`).
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(8));
}

TEST_F(WifiStationScriptsTest, RequestLeaseGivesDhclientItsTimeoutAndReadsTheAddress) {
  // The fake node answers as the script would, for the station's parsing.
  node_.AnswerExec({"sh", "-c", kLeaseScript}, {.exit_code = 0, .stdout_text = "address=192.168.8.57\n"});
  LeaseResult lease = station_.RequestLease(node_, std::chrono::seconds(7));
  EXPECT_EQ(lease.address, "192.168.8.57");
  std::vector<std::string> argv = OnlyExec(kLeaseScript, "lease");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kLeaseScript, "lease", "7"));
  ProcessResult run = stubs_.Run(argv);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "address=192.168.8.57\n");
  EXPECT_EQ(stubs_.File("/etc/dhcp/cirque-dhclient.conf"), "timeout 7;\nretry 1;\n");
  EXPECT_THAT(stubs_.Calls("dhclient"),
              ElementsAre(ElementsAre("-1", "-v", "-cf", stubs_.etc() + "dhcp/cirque-dhclient.conf", "-pf",
                                      "/run/cirque-dhclient.pid", "-lf", "/run/cirque-dhclient.leases", "wlan0")));
}

}  // namespace
}  // namespace cirque::capabilities
