// Covers the WiFi access point's and station's set-up steps against their
// scripts (ap-up, ap-down, station-up), as wifi_scripts_test.cc covers the
// station's later steps: the argv Enable and Disable really run, then run
// here by sh with the tools stubbed, to see where each argument lands.
//
// Enable needs the home's radio medium, a helper container: here it is made
// on the in-memory engine (FakeDockerClient) through a FakeHomeContext, and
// its radio is "made" by a scripted answer to the helper's exec.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "capabilities/testing/script_stubs.h"
#include "capabilities/wifi_access_point.h"
#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_scripts.h"
#include "capabilities/wifi_station.h"
#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/testing/fake_home_context.h"
#include "cirque_test/home/testing/fake_node_runtime.h"

namespace cirque::capabilities {
namespace {

using home::testing::FakeHomeContext;
using home::testing::FakeNodeRuntime;
using testing::ScriptStubs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr int kRadioId = 7;  // the radio the helper's hwsim_ctl "makes"

class WifiEnableScriptsTest : public ::testing::Test {
 protected:
  WifiEnableScriptsTest() {
    fake_.AddImage("wifi-ap");
    fake_.AnswerExec({"sh", "-c"}, {.exit_code = 0, .stdout_text = "radio " + std::to_string(kRadioId) + "\n"});
    // hwsim_ctl's copy into the helper (program_install.h) says it is done.
    fake_.OnExec([](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
      if (call.spec.cmd.size() >= 4 && call.spec.cmd[3] == "cirque-install") return docker::ExecResult{0, "installed\n", ""};
      return std::nullopt;
    });
    // Any bytes do: the fake engine only stores the copy.
    radio_.hwsim_ctl_path = std::string(std::getenv("TEST_TMPDIR")) + "/hwsim_ctl";
    std::ofstream(radio_.hwsim_ctl_path) << "not really hwsim_ctl";
    node_.UseHome(&home_);
    // The node answers ap-up as hostapd_cli would, so Enable finishes.
    node_.AnswerExec({"sh", "-c", kApUpScript},
                     {.exit_code = 0, .stdout_text = "state=ENABLED\nbssid[0]=02:00:00:00:08:00\n"});
  }

  // The node's exec whose script name (argv[3]) is `name`.
  std::vector<std::string> ExecNamed(const std::string& name) {
    for (const auto& argv : node_.ExecArgvs()) {
      if (argv.size() >= 4 && argv[3] == name) return argv;
    }
    ADD_FAILURE() << "the node ran no '" << name << "' script";
    return {};
  }

  std::string Phy() const { return "cq" + home_.id().substr(0, 8) + "-0"; }

  docker::testing::FakeDockerClient fake_;
  FakeHomeContext home_{fake_};  // after fake_: its radio medium goes first
  WifiRadioOptions radio_;
  FakeNodeRuntime node_{"ap", {.ipv4_address = "10.200.7.2", .subnet = "10.200.7.0/24"}};
  ScriptStubs stubs_;
};

WifiSettings HomeNet(const std::string& mode) {
  WifiSettings settings;
  settings.ssid = "Home Net";
  settings.passphrase = "pass phrase!";
  settings.channel = 6;
  settings.mode = mode;
  return settings;
}

TEST_F(WifiEnableScriptsTest, RouterApGivesEachArgumentToItsStep) {
  WifiAccessPoint ap(HomeNet("router"), radio_);
  ap.Equip(node_);  // the radio, as a home does right after the container starts
  ap.Enable(node_);
  EXPECT_EQ(ap.bssid(), "02:00:00:00:08:00");
  // A subnet of the AP's own, from its radio's id.
  const std::string prefix = "192.168." + std::to_string(kRadioId % 250 + 1) + ".";
  EXPECT_EQ(ap.address(), prefix + "1");
  std::vector<std::string> argv = ExecNamed("ap-up");
  ASSERT_THAT(argv, SizeIs(12));
  EXPECT_EQ(argv[2], kApUpScript);

  ProcessResult run = stubs_.Run(argv);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("state=ENABLED"));
  EXPECT_THAT(stubs_.Calls("iw"), ElementsAre(ElementsAre("phy", Phy(), "interface", "add", "cqmon0", "type", "monitor")));
  EXPECT_THAT(stubs_.Calls("ip"), Contains(ElementsAre("addr", "add", prefix + "1/24", "dev", "wlan0")));
  EXPECT_EQ(stubs_.File("/etc/hostapd/cirque.conf"), HostapdConfig(ap.settings(), "wlan0"));
  EXPECT_THAT(stubs_.File("/etc/hostapd/cirque.conf"), HasSubstr(SsidHex("Home Net")));
  EXPECT_THAT(stubs_.Calls("hostapd", 1),
              ElementsAre(ElementsAre("-f", kHostapdLog, stubs_.etc() + "hostapd/cirque.conf")));
  std::vector<std::vector<std::string>> dnsmasq = stubs_.Calls("dnsmasq", 1);
  ASSERT_THAT(dnsmasq, SizeIs(1));
  EXPECT_THAT(dnsmasq[0], Contains("--interface=wlan0"));
  EXPECT_THAT(dnsmasq[0], Contains("--dhcp-range=" + prefix + "10," + prefix + "200,255.255.255.0,1h"));
  EXPECT_THAT(dnsmasq[0], Contains("--dhcp-option=option:router," + prefix + "1"));
  EXPECT_THAT(stubs_.Calls("iptables"),
              ElementsAre(ElementsAre("-t", "nat", "-A", "POSTROUTING", "-s", prefix + "0/24", "-o", "eth0", "-j",
                                      "MASQUERADE")));
  EXPECT_THAT(stubs_.Calls("tcpdump", 1), ElementsAre(ElementsAre("-i", "cqmon0", "-U", "-w", kCapture)));
}

TEST_F(WifiEnableScriptsTest, BridgeApMovesTheNodesAddressAndServesTheUpperHalf) {
  WifiAccessPoint ap(HomeNet("bridge"), radio_);
  ap.Equip(node_);  // the radio, as a home does right after the container starts
  ap.Enable(node_);
  EXPECT_EQ(ap.address(), "10.200.7.2");
  ProcessResult run = stubs_.Run(ExecNamed("ap-up"));
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::vector<std::vector<std::string>> ip = stubs_.Calls("ip");
  EXPECT_THAT(ip, Contains(ElementsAre("addr", "add", "10.200.7.2/24", "dev", "br0")));
  EXPECT_THAT(ip, Contains(ElementsAre("route", "replace", "default", "via", "10.200.7.1", "dev", "br0")));
  EXPECT_THAT(ip, ::testing::Not(Contains(ElementsAre("addr", "add", "10.200.7.2/24", "dev", "wlan0"))));
  std::vector<std::vector<std::string>> dnsmasq = stubs_.Calls("dnsmasq", 1);
  ASSERT_THAT(dnsmasq, SizeIs(1));
  EXPECT_THAT(dnsmasq[0], Contains("--interface=br0"));
  EXPECT_THAT(dnsmasq[0], Contains("--dhcp-range=10.200.7.129,10.200.7.254,255.255.255.0,1h"));
  EXPECT_THAT(dnsmasq[0], Contains("--dhcp-option=option:router,10.200.7.1"));
  EXPECT_THAT(stubs_.Calls("iptables"), SizeIs(0));  // no NAT in bridge mode
}

TEST_F(WifiEnableScriptsTest, SwappedApArgumentsAreCaught) {
  WifiAccessPoint ap(HomeNet("router"), radio_);
  ap.Equip(node_);  // the radio, as a home does right after the container starts
  ap.Enable(node_);
  std::vector<std::string> argv = ExecNamed("ap-up");
  ASSERT_THAT(argv, SizeIs(12));
  std::swap(argv[8], argv[9]);  // range start and end
  std::swap(argv[10], argv[11]);  // mode and subnet
  ASSERT_EQ(stubs_.Run(argv).exit_code, 0);
  std::vector<std::vector<std::string>> dnsmasq = stubs_.Calls("dnsmasq", 1);
  ASSERT_THAT(dnsmasq, SizeIs(1));
  EXPECT_THAT(dnsmasq[0], ::testing::Not(Contains("--dhcp-range=192.168.8.10,192.168.8.200,255.255.255.0,1h")));
  EXPECT_THAT(stubs_.Calls("iptables"), SizeIs(0));  // "mode" was no longer "router"
}

TEST_F(WifiEnableScriptsTest, ApDisableStopsItsDaemonsByName) {
  WifiAccessPoint ap(HomeNet("router"), radio_);
  ap.Equip(node_);  // the radio, as a home does right after the container starts
  ap.Enable(node_);
  ap.Disable(node_);
  std::vector<std::string> argv = ExecNamed("ap-down");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kApDownScript, "ap-down"));
  ASSERT_EQ(stubs_.Run(argv).exit_code, 0);
  EXPECT_THAT(stubs_.Calls("pkill"),
              ElementsAre(ElementsAre("-x", "dnsmasq"), ElementsAre("-x", "hostapd"), ElementsAre("-x", "tcpdump")));
}

TEST_F(WifiEnableScriptsTest, StationUpStartsTheSupplicantAndWaitsItsDeadline) {
  WifiStation station(WifiSettings{}, radio_);
  station.Equip(node_);
  station.Enable(node_);
  std::vector<std::string> argv = ExecNamed("station-up");
  EXPECT_THAT(argv, ElementsAre("sh", "-c", kStationUpScript, "station-up", ScriptSeconds(kWifiStartDeadline)));
  ProcessResult run = stubs_.Run(argv);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(stubs_.Calls("wpa_supplicant", 1),
              ElementsAre(ElementsAre("-i", "wlan0", "-D", "nl80211", "-c", stubs_.etc() + "wpa_supplicant/cirque.conf",
                                      "-f", kSupplicantLog)));
  EXPECT_THAT(stubs_.File("/etc/wpa_supplicant/cirque.conf"), HasSubstr("ctrl_interface=/run/wpa_supplicant\n"));
  // $1 is the deadline: a supplicant that never answers fails after it.
  stubs_.Set("CQ_NO_PONG", "1");
  argv.back() = "1";
  ProcessResult silent = stubs_.Run(argv);
  EXPECT_EQ(silent.exit_code, 3);
  EXPECT_THAT(silent.stderr_text, HasSubstr("within 1 s"));
}

}  // namespace
}  // namespace cirque::capabilities
