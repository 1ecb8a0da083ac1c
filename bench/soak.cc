// soak: makes and destroys homes, one after another, for many cycles in one
// process, and prints at cycles 1, 100 and the last (and every 100th):
// what the engine still holds of this process's homes (containers and
// networks labelled with its run id: 0 expected after each Destroy), the
// process's resident memory and its open descriptors. A leak of memory,
// descriptors, libcurl handles or engine objects shows as growth between
// the rows. Not in CI (1 000 cycles take about half an hour on this
// machine); the figures go in the README's Reliability section.
//
// Usage: bazel run //bench:soak -- [--cycles N] [--wifi-every K]
//   --cycles N      default 1000
//   --wifi-every K  every Kth home is a WiFi home (an AP and a station that
//                   associates and gets a lease) instead of two plain
//                   nodes that ping each other; needs mac80211_hwsim (the
//                   VM: DOCKER_HOST from `cirque vm up`). Default 0: none.
// Goals: 0 leftovers at every row, resident memory growing less than 5 MB
// from cycle 100 to the last, descriptors flat (from cycle 1 when the run
// is shorter).
#include <dirent.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/wifi_nodes.h"

namespace {

using Clock = std::chrono::steady_clock;
using cirque::home::NodeSpec;

// VmRSS of /proc/self/status, in MB.
double ResidentMegabytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return -1;
}

int OpenDescriptors() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory stream's own
}

void Check(bool ok, const std::string& what) {
  if (!ok) throw cirque::Error(cirque::ErrorCode::kInternal, what);
}

void PlainCycle(cirque::runtime::Runtime& runtime) {
  auto home = cirque::home::VirtualHome::Create(runtime.HomeOptionsFor("soak"),
                                                {NodeSpec::Named("a"), NodeSpec::Named("b")});
  auto result = home->node("a").Exec({"ping", "-c", "1", "-W", "5", home->node("b").ipv4_address()},
                                     std::chrono::seconds(30));
  Check(result.exit_code == 0, "node a did not reach node b: " + result.stdout_text);
  home->Destroy();
}

void WifiCycle(cirque::runtime::Runtime& runtime) {
  auto home = cirque::home::VirtualHome::Create(
      runtime.HomeOptionsFor("soak-wifi"),
      {cirque::testing::WifiAccessPointSpec("ap"), cirque::testing::WifiStationSpec("sta")});
  cirque::testing::WifiApNode ap(home->node("ap"));
  cirque::testing::WifiStationNode station(home->node("sta"));
  station.Connect(ap);
  Check(station.WaitAssociated().associated(), "the station did not associate");
  Check(!station.RequestLease().address.empty(), "the station got no lease");
  home->Destroy();
}

int ParsePositive(const char* flag, const char* value, bool zero_ok) {
  char* end = nullptr;
  long number = value == nullptr ? -1 : std::strtol(value, &end, 10);
  if (value == nullptr || *end != '\0' || number < (zero_ok ? 0 : 1) || number > 1000000) {
    std::fprintf(stderr, "soak: %s '%s' is not a whole number from %d to 1000000\n", flag,
                 value == nullptr ? "" : value, zero_ok ? 0 : 1);
    std::exit(2);
  }
  return static_cast<int>(number);
}

}  // namespace

int main(int argc, char** argv) {
  int cycles = 1000;
  int wifi_every = 0;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (flag == "--cycles") {
      cycles = ParsePositive("--cycles", value, false);
      ++i;
    } else if (flag == "--wifi-every") {
      wifi_every = ParsePositive("--wifi-every", value, true);
      ++i;
    } else {
      std::fprintf(stderr, "soak: unknown argument '%s'; usage: soak [--cycles N] [--wifi-every K]\n",
                   flag.c_str());
      return 2;
    }
  }
  try {
    auto& runtime = cirque::testing::CirqueEnvironment::Get();
    auto& client = runtime.client();
    const cirque::docker::LabelFilter mine = {{cirque::home::kRunLabel, cirque::home::CurrentRunId()}};
    std::printf("engine: %s; %d cycles; %s\n", client.endpoint().ToString().c_str(), cycles,
                wifi_every > 0 ? ("a WiFi home every " + std::to_string(wifi_every) + "th").c_str()
                               : "plain homes of two nodes that ping each other");
    std::printf("%6s %12s %10s %6s %11s %9s %8s\n", "cycle", "containers", "networks", "fds", "rss MB",
                "cycle s", "total s");
    std::fflush(stdout);
    const auto start = Clock::now();
    // Growth is measured from cycle 100 (from cycle 1 in a shorter run): the
    // first homes, WiFi ones most, grow the engine client's pool of
    // connections to their peak number of concurrent requests (six more
    // sockets after a WiFi home in the VM), which is not a leak.
    double rss_base = -1, rss_last = -1;
    int fds_base = -1, fds_last = -1, base_cycle = 1, leftovers = 0;
    for (int cycle = 1; cycle <= cycles; ++cycle) {
      const auto cycle_start = Clock::now();
      if (wifi_every > 0 && cycle % wifi_every == 0) {
        WifiCycle(runtime);
      } else {
        PlainCycle(runtime);
      }
      if (cycle == 1 || cycle % 100 == 0 || cycle == cycles) {
        const size_t containers = client.ListContainers(mine).size();
        const size_t networks = client.ListNetworks(mine).size();
        const double rss = ResidentMegabytes();
        const int fds = OpenDescriptors();
        const auto seconds = [](Clock::time_point from) {
          return std::chrono::duration<double>(Clock::now() - from).count();
        };
        std::printf("%6d %12zu %10zu %6d %11.1f %9.2f %8.0f\n", cycle, containers, networks, fds, rss,
                    seconds(cycle_start), seconds(start));
        std::fflush(stdout);
        leftovers += static_cast<int>(containers + networks);
        if (cycle == 1 || cycle == 100) {
          base_cycle = cycle;
          rss_base = rss;
          fds_base = fds;
        }
        rss_last = rss;
        fds_last = fds;
      }
    }
    const double growth = rss_last - rss_base;
    std::printf("leftovers %d (goal 0); from cycle %d: memory growth %.1f MB (goal < 5), descriptors %d -> %d "
                "(goal flat)\n",
                leftovers, base_cycle, growth, fds_base, fds_last);
    return leftovers == 0 && growth < 5 && fds_last <= fds_base ? 0 : 1;
  } catch (const cirque::Error& error) {
    std::fprintf(stderr, "soak: %s\n", error.what());
    return 1;
  }
}
