// wifi_bench: the case study (an AP and two stations) from SetUp to both
// stations having pinged the AP, split by phase: containers, radios, AP up
// (with the stations' supplicants), association, DHCP, first ping. Then the
// floor: the same steps done directly with network namespaces on the
// engine's host, no container per node and no exec per step, in the same
// run. The case study runs as a suite's three tests would: the first cold,
// the 2nd and 3rd warm (their homes prepared while the test before ran:
// fixtures/warm_homes.h) and its home removed beside the next test. Prints
// cold, warm and floor, per phase, and the ratios; then the whole suite's
// time against the same suite with every home made in SetUp and removed
// in TearDown.
//
// Needs an engine whose kernel has mac80211_hwsim:
//   export $(bazel-bin/tools/cirque vm up)   # DOCKER_HOST=tcp://...
//   bazel run //bench:wifi_bench -- [rounds]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/engine_cpu.h"
#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_radio_medium.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/ping.h"
#include "fixtures/warm_homes.h"
#include "fixtures/wifi_nodes.h"

namespace {

using Clock = std::chrono::steady_clock;
using cirque::Error;
using cirque::ErrorCode;
using cirque::home::NodeSpec;

const std::vector<std::string> kPhases = {"containers", "radios", "AP up", "association", "DHCP", "first ping"};
constexpr int kChannel = 6;
constexpr const char* kSsid = "bench-home";
constexpr const char* kPassphrase = "correct horse battery";

// Seconds per phase, in kPhases' order.
using PhaseTimes = std::map<std::string, double>;

double Total(const PhaseTimes& times) {
  double total = 0;
  for (const auto& [phase, seconds] : times) total += seconds;
  return total;
}

void Check(bool ok, const std::string& what) {
  if (!ok) throw Error(ErrorCode::kInternal, what);
}

// The case study through cirque: boundaries are the moments the last
// container started, the last radio was attached, the home was up, both
// stations were associated, both had leases, and both had pinged the AP.
// As a test of a suite runs it (VirtualHomeTest): its home taken from
// `warm` (prepared while the test before ran, or made now), and, with
// `prepare_next`, the next test's home prepared while this one runs.
std::vector<NodeSpec> CaseStudyNodes() {
  NodeSpec ap = cirque::testing::WifiAccessPointSpec(
      "ap", {.ssid = kSsid, .passphrase = kPassphrase, .channel = kChannel});
  return {ap, NodeSpec::Named("sta1").Image("wifi-station").WithCapability("WiFi"),
          NodeSpec::Named("sta2").Image("wifi-station").WithCapability("WiFi")};
}

// The case study's test body on a home that is up: both stations associate,
// get leases and ping the AP. `mark` is called after each of the three.
void CaseStudyBody(cirque::home::VirtualHome& home, const std::function<void()>& mark) {
  cirque::testing::WifiApNode access_point(home.node("ap"));
  cirque::testing::WifiStationNode sta1(home.node("sta1")), sta2(home.node("sta2"));
  sta1.Connect(access_point);
  sta2.Connect(access_point);
  Check(sta1.WaitAssociated().associated() && sta2.WaitAssociated().associated(), "a station did not associate");
  mark();
  Check(!sta1.RequestLease().address.empty() && !sta2.RequestLease().address.empty(), "a station got no lease");
  mark();
  Check(Ping(sta1, access_point).ok() && Ping(sta2, access_point).ok(), "a ping of the AP failed");
  mark();
}

// `timeline_of`, when given, names the test whose set-up steps are printed.
PhaseTimes CirqueRound(const char* timeline_of, cirque::testing::WarmHomes& warm, bool prepare_next, bool retire) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  const std::vector<NodeSpec> nodes = CaseStudyNodes();
  const auto start = Clock::now();
  auto seconds = [&start] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  auto home = warm.Take(environment.HomeOptionsFor("wifi-bench"), nodes);
  const double up = seconds();
  if (prepare_next) warm.PrepareAhead(environment.HomeOptionsFor("wifi-bench"), nodes);
  // The timeline counts from the home's construction: a moment after
  // start, or, for a prepared home, before it (its containers and radios,
  // made before the test began, then count 0).
  const double offset =
      std::chrono::duration<double>(home->timeline().origin() - start).count();
  const double containers = std::max(0.0, home->timeline().LastEnd("container ") + offset);
  const double radios = std::max(0.0, home->timeline().LastEnd("attach radio ") + offset);

  std::vector<double> marks;
  CaseStudyBody(*home, [&] { marks.push_back(seconds()); });
  const double associated = marks[0], leased = marks[1], pinged = marks[2];
  if (timeline_of != nullptr) {
    std::printf("  set-up steps of the %s test (s since its start):\n", timeline_of);
    for (const auto& span : home->timeline().Spans()) {
      std::printf("    %6.2f %6.2f  %s\n", span.begin_s + offset, span.end_s + offset, span.what.c_str());
    }
  }
  // As VirtualHomeTest's TearDown: removed beside the next test, or (as
  // with CIRQUE_WARM_HOMES=0) before it.
  if (retire) {
    warm.Retire(std::move(home), "wifi_bench");
  } else {
    home->Destroy();
  }
  return {{"containers", containers},
          {"radios", radios - containers},
          {"AP up", up - radios},
          {"association", associated - up},
          {"DHCP", leased - associated},
          {"first ping", pinged - leased}};
}

// The floor, in one container on the engine's host that stands for the
// test process: three network namespaces (unshare), radios made and moved
// into them, hostapd + dnsmasq in one, wpa_supplicant in the others, the
// same wpa_cli steps, dhclient, one ping each. It prints "phase NAME T"
// after each phase (T: seconds of the clock).
constexpr const char* kFloorScript = R"sh(
set -u
config=$1 ssid=$2 passphrase=$3 freq=$4
now() { date +%s.%N; }
mark() { echo "phase $1 $(now)"; }
dir=/run/floor
mkdir -p "$dir"
mark start
for n in ap sta1 sta2; do
  unshare -n sleep 600 &
  eval "pid_$n=$!"
done
for n in ap sta1 sta2; do
  eval "pid=\$pid_$n"
  until [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ]; do sleep 0.01; done
done
mark containers
for n in ap sta1 sta2; do
  eval "pid=\$pid_$n"
  hwsim_ctl new "floor-$n" >/dev/null
  created=$(ls "/sys/class/ieee80211/floor-$n/device/net")
  iw phy "floor-$n" set netns "$pid"
  nsenter -t "$pid" -n ip link set "$created" name wlan0
done
mark radios
nsenter -t "$pid_ap" -n ip addr add 192.168.250.1/24 dev wlan0
printf '%s' "$config" > "$dir/hostapd.conf"
nsenter -t "$pid_ap" -n hostapd -f "$dir/hostapd.log" "$dir/hostapd.conf" </dev/null >/dev/null 2>&1 &
for s in sta1 sta2; do
  eval "pid=\$pid_$s"
  printf 'ctrl_interface=%s\nupdate_config=0\n' "$dir/$s" > "$dir/$s.conf"
  nsenter -t "$pid" -n wpa_supplicant -i wlan0 -D nl80211 -c "$dir/$s.conf" -f "$dir/$s.log" </dev/null >/dev/null 2>&1 &
done
until hostapd_cli -p /run/hostapd -i wlan0 status 2>/dev/null | grep -q '^state=ENABLED'; do sleep 0.1; done
nsenter -t "$pid_ap" -n dnsmasq --keep-in-foreground --no-resolv --no-hosts --port=0 --no-ping \
  --interface=wlan0 --bind-interfaces --dhcp-range=192.168.250.10,192.168.250.200,255.255.255.0,1h \
  --dhcp-leasefile="$dir/leases" </dev/null >/dev/null 2>&1 &
until nsenter -t "$pid_ap" -n ss -Hlun sport = :67 | grep -q ':67'; do sleep 0.1; done
for s in sta1 sta2; do
  until wpa_cli -p "$dir/$s" -i wlan0 ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
done
mark ap_up
for s in sta1 sta2; do
  cli() { wpa_cli -p "$dir/$s" -i wlan0 "$@" >/dev/null; }
  id=$(wpa_cli -p "$dir/$s" -i wlan0 add_network)
  cli set_network "$id" ssid "\"$ssid\""
  cli set_network "$id" scan_ssid 1
  cli set_network "$id" key_mgmt WPA-PSK
  cli set_network "$id" psk "\"$passphrase\""
  cli set_network "$id" pairwise CCMP
  cli set_network "$id" scan_freq "$freq"
  cli set_network "$id" freq_list "$freq"
  cli select_network "$id"
done
for s in sta1 sta2; do
  until wpa_cli -p "$dir/$s" -i wlan0 status | grep -q '^wpa_state=COMPLETED'; do sleep 0.1; done
done
mark association
printf 'timeout 20;\nretry 1;\n' > "$dir/dhclient.conf"
for s in sta1 sta2; do
  eval "pid=\$pid_$s"
  nsenter -t "$pid" -n dhclient -1 -cf "$dir/dhclient.conf" -pf "$dir/$s.pid" -lf "$dir/$s.leases" wlan0 \
    >/dev/null 2>&1 || { echo "floor: no lease for $s" >&2; exit 1; }
done
mark dhcp
for s in sta1 sta2; do
  eval "pid=\$pid_$s"
  nsenter -t "$pid" -n ping -c 1 -W 5 192.168.250.1 >/dev/null || { echo "floor: $s ping failed" >&2; exit 1; }
done
mark ping
)sh";

PhaseTimes FloorRound() {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  cirque::docker::DockerClient& client = environment.client();
  cirque::capabilities::WifiSettings settings;
  settings.ssid = kSsid;
  settings.passphrase = kPassphrase;
  settings.channel = kChannel;
  cirque::docker::ContainerSpec spec;
  spec.image = environment.ResolveImage("wifi-ap");
  spec.labels = cirque::home::HomeLabels("wifi-floor-" + cirque::home::NewId());
  spec.labels[cirque::home::kRoleLabel] = "bench-floor";
  spec.process.entrypoint = std::vector<std::string>{
      "sh", "-c", kFloorScript, "floor", cirque::capabilities::HostapdConfig(settings, "wlan0"), kSsid, kPassphrase,
      std::to_string(cirque::capabilities::ChannelFrequency(kChannel))};
  spec.process.cmd = {};
  spec.process.init = true;
  // Its own namespace: radios made there go when the run ends. SYS_ADMIN
  // for unshare and nsenter, NET_ADMIN for radios and addresses.
  spec.network.network_mode = "none";
  spec.security.cap_add = {"SYS_ADMIN", "NET_ADMIN", "NET_RAW"};
  std::string id = client.CreateContainer(spec);
  std::string output;
  int code = -1;
  try {
    cirque::capabilities::CopyHwsimCtl(client, id, cirque::capabilities::FindHwsimCtl());
    client.StartContainer(id);
    code = client.WaitContainer(id, std::chrono::minutes(3));
    cirque::docker::ContainerLogs logs = client.Logs(id);
    output = logs.stdout_text + logs.stderr_text;
  } catch (...) {
    client.RemoveContainer(id, true);
    throw;
  }
  client.RemoveContainer(id, true);
  Check(code == 0, "the floor run exited " + std::to_string(code) + ": " + output);
  std::map<std::string, double> marks;
  std::istringstream lines(output);
  for (std::string word, name; lines >> word;) {
    if (word != "phase") continue;
    double at = 0;
    lines >> name >> at;
    marks[name] = at;
  }
  Check(marks.count("ping") == 1, "the floor run printed no final mark: " + output);
  return {{"containers", marks["containers"] - marks["start"]},
          {"radios", marks["radios"] - marks["containers"]},
          {"AP up", marks["ap_up"] - marks["radios"]},
          {"association", marks["association"] - marks["ap_up"]},
          {"DHCP", marks["dhcp"] - marks["association"]},
          {"first ping", marks["ping"] - marks["dhcp"]}};
}

// What one case study costs the engine's host in CPU time, made, run and
// removed with nothing beside it (the engine's probe answered already, as
// for a suite's later tests). However far ahead homes are prepared, a
// suite's tests cannot on average take less than that cost spread over
// the host's CPUs: printed against 1.5x the floor.
void PrintCpuCost(double floor_total) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  const cirque::home::HomeOptions options = environment.HomeOptionsFor("wifi-bench-cpu");
  cirque::bench::EngineCpuMeter meter(*options.client, options.helper_image, "wifi-bench");
  cirque::bench::CpuLedger ledger(meter);
  auto home = cirque::home::VirtualHome::Create(options, CaseStudyNodes());
  ledger.Step("making the home");
  CaseStudyBody(*home, [] {});
  ledger.Step("the test");
  home->Destroy();
  ledger.Step("removing the home");
  std::printf("engine CPU of one case study alone (%d CPUs on the engine's host):\n", meter.cpus());
  ledger.Print();
  std::printf("a suite's test costs %.2f cpu-s: with %d CPUs at least %.2f s a test on average, however "
              "homes are prepared ahead (1.5x the floor: %.2f s)\n",
              ledger.cpu_s(), meter.cpus(), ledger.cpu_s() / meter.cpus(), 1.5 * floor_total);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2;
  try {
    auto& environment = cirque::testing::CirqueEnvironment::Get();
    const auto features = environment.ProbeEngine({cirque::capabilities::HwsimRequirement()});
    if (!features.Has("hwsim")) {
      std::fprintf(stderr, "wifi_bench: the engine at %s (kernel %s) has no mac80211_hwsim; fix: %s\n",
                   features.endpoint.c_str(), features.kernel_version.c_str(),
                   cirque::capabilities::HwsimRequirement().fix.c_str());
      return 2;
    }
    std::printf("engine: %s (kernel %s); case study: 1 AP (WPA2, channel %d) + 2 stations; %d rounds\n",
                features.endpoint.c_str(), features.kernel_version.c_str(), kChannel, rounds);
    std::printf("(each suite's first test probes the engine again, as a test binary's first home does)\n");
    // Each round: a suite of three tests running the case study: the first
    // cold; the 2nd warm (its home prepared while the 1st ran) while the
    // 3rd's home is prepared beside it, as for most tests of a suite; the
    // 3rd warm with nothing beside it, as for a suite's last test. Then the
    // floor.
    std::vector<PhaseTimes> cold_rounds, second_rounds, last_rounds, floor_rounds;
    std::vector<double> warm_suites, cold_suites;
    auto since = [](Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); };
    for (int round = 0; round < rounds; ++round) {
      const bool last = round == rounds - 1;
      auto suite_start = Clock::now();
      {
        // The first test pays for the engine's probe, as in a fresh test
        // binary: its answers are forgotten.
        cirque::engine::ForgetEngineFacts();
        cirque::testing::WarmHomes warm;
        cold_rounds.push_back(CirqueRound(last ? "1st" : nullptr, warm, /*prepare_next=*/true, /*retire=*/true));
        second_rounds.push_back(CirqueRound(last ? "2nd" : nullptr, warm, /*prepare_next=*/true, /*retire=*/true));
        last_rounds.push_back(CirqueRound(/*timeline_of=*/nullptr, warm, /*prepare_next=*/false, /*retire=*/true));
        for (const auto& problem : warm.Drain()) std::fprintf(stderr, "wifi_bench: draining: %s\n", problem.c_str());
        Check(warm.taken_prepared() == 2, "the suite did not take its two prepared homes");
      }
      warm_suites.push_back(since(suite_start));
      // The same suite with every home made in SetUp and destroyed in
      // TearDown (CIRQUE_WARM_HOMES=0).
      suite_start = Clock::now();
      {
        cirque::engine::ForgetEngineFacts();
        cirque::testing::WarmHomes cold;
        for (int test = 0; test < 3; ++test) {
          CirqueRound(/*timeline_of=*/nullptr, cold, /*prepare_next=*/false, /*retire=*/false);
        }
      }
      cold_suites.push_back(since(suite_start));
      floor_rounds.push_back(FloorRound());
      std::printf("round %d: cirque 1st (cold) %.2f s, 2nd %.2f s, 3rd %.2f s; floor %.2f s; "
                  "suite of three %.1f s (cold: %.1f s)\n",
                  round + 1, Total(cold_rounds.back()), Total(second_rounds.back()), Total(last_rounds.back()),
                  Total(floor_rounds.back()), warm_suites.back(), cold_suites.back());
    }
    // The median of each (by total), phase by phase; of an even count, the
    // slower of the two middle rounds, so that a goal is never called met
    // on the faster half alone.
    auto median = [](std::vector<PhaseTimes> all) {
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return Total(a) < Total(b); });
      return all[all.size() / 2];
    };
    PhaseTimes cold = median(cold_rounds), second = median(second_rounds), third = median(last_rounds),
               floor = median(floor_rounds);
    std::printf("%-12s %9s %9s %9s %9s %7s %7s %7s\n", "phase", "1st", "2nd", "3rd", "floor", "1st/f", "2nd/f",
                "3rd/f");
    auto ratio = [](double ours, double base) { return base > 0 ? ours / base : 0.0; };
    auto row = [&](const char* name, double a, double b, double c, double f) {
      std::printf("%-12s %8.2fs %8.2fs %8.2fs %8.2fs %6.1fx %6.1fx %6.1fx\n", name, a, b, c, f, ratio(a, f),
                  ratio(b, f), ratio(c, f));
    };
    for (const auto& phase : kPhases) row(phase.c_str(), cold[phase], second[phase], third[phase], floor[phase]);
    row("total", Total(cold), Total(second), Total(third), Total(floor));
    std::sort(warm_suites.begin(), warm_suites.end());
    std::sort(cold_suites.begin(), cold_suites.end());
    std::printf("a suite of three, first SetUp to last home removed: %.1f s against %.1f s with every home made "
                "in SetUp and removed in TearDown (medians)\n",
                warm_suites[warm_suites.size() / 2], cold_suites[cold_suites.size() / 2]);
    std::printf("goals: 1st (cold) <= 15 s (%s); warm <= 1.5x the floor: 2nd (%s), 3rd (%s)\n",
                Total(cold) <= 15 ? "met" : "not met", Total(second) <= 1.5 * Total(floor) ? "met" : "not met",
                Total(third) <= 1.5 * Total(floor) ? "met" : "not met");
    PrintCpuCost(Total(floor));
    return 0;
  } catch (const Error& error) {
    std::fprintf(stderr, "wifi_bench: %s\n", error.what());
    return 1;
  }
}
