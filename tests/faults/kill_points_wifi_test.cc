// Covers a test process SIGKILLed at named points of a WiFi home's life
// (VM tier: hwsim radios): radio made and attached, access point and
// station being enabled, while its home reaps a killed run's leftovers,
// and in its own teardown (kill_points.h). After each,
// the next run (the reaper) leaves 0 containers, networks and iptables
// rules of the killed process, and the engine host's hwsim radios are as
// many as before (the kernel deletes a radio when its namespace goes, in
// the background: waited for, with a deadline).
#include <signal.h>

#include <iostream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/wifi_wait.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/labels.h"
#include "fixtures/cirque_environment.h"
#include "tests/faults/kill_points.h"
#include "tests/faults/leftovers.h"

namespace cirque::faults {
namespace {

using testing::CirqueEnvironment;

int RadioCount(home::HostAgent& agent) {
  std::istringstream names(agent.Exec({"ls", "/sys/class/mac80211_hwsim"}).stdout_text);
  int count = 0;
  for (std::string name; names >> name;) ++count;
  return count;
}

std::vector<KillPoint> WifiPoints() {
  const std::string exec_start = "^POST /v[0-9.]+/exec/[^/]+/start";
  return {
      {"first radio being made", {exec_start, 1, "hwsim_ctl new"}},
      {"second radio being made", {exec_start, 2, "hwsim_ctl new"}},
      {"access point being enabled (hostapd)", {exec_start, 1, "hostapd -f"}},
      {"station being enabled (wpa_supplicant)", {exec_start, 1, "wpa_supplicant"}},
      // A child's home first reaps what the run before it left: these two
      // fire there, killing a run while it removes another's leftovers.
      // Its own teardown's requests come after the station's wpa_supplicant
      // was started.
      {"reaping the run before it: a container removed", {"^DELETE /v[0-9.]+/containers/", 1}},
      {"reaping the run before it: its network removed", {"^DELETE /v[0-9.]+/networks/", 1}},
      {"own teardown: first container removed", {"^DELETE /v[0-9.]+/containers/", 1, "wpa_supplicant"}},
      {"own teardown: network being removed", {"^DELETE /v[0-9.]+/networks/", 1, "wpa_supplicant"}},
  };
}

TEST(KillPointsWifiTest, NextRunLeavesNoContainerNetworkRuleOrRadioOfAKilledWifiHome) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  docker::DockerClient& client = environment.client();
  const std::string helper = environment.ResolveImage("generic");
  home::HostAgent reader(client, helper, "radio-reader-" + home::NewId());
  const int radios_before = RadioCount(reader);

  // One after the other: each child's home reaps the runs killed before it.
  std::vector<KillPointRun> runs;
  for (const auto& point : WifiPoints()) {
    KillPointRun run = RunKillPoint(point, {"1", "--wifi"}, std::chrono::minutes(5));
    SCOPED_TRACE(run.point.name);
    EXPECT_NE(run.pid, 0) << "never reached; requests seen:\n" << ::testing::PrintToString(run.requests)
                          << "\n" << run.result.stderr_text;
    EXPECT_EQ(run.result.exit_code, 128 + SIGKILL) << run.result.stderr_text;
    if (run.pid != 0) {
      std::cout << "killed at '" << point.name << "' (pid " << run.pid << "): left "
                << LeftoversOf(client, run.pid, &reader).ToString() << ", radios " << RadioCount(reader)
                << " (before: " << radios_before << ")\n";
    }
    runs.push_back(std::move(run));
  }

  ExpectNextRunLeavesNothing(runs, client, helper, reader);
  int radios = RadioCount(reader);
  capabilities::WaitUntil([&] { return (radios = RadioCount(reader)) <= radios_before; }, std::chrono::seconds(30));
  EXPECT_EQ(radios, radios_before) << "radios left of the killed runs";
  std::cout << "after the next run: radios " << radios << " (before: " << radios_before << ")\n";
}

}  // namespace
}  // namespace cirque::faults
