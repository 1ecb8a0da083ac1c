// home_bench: how long a home of N plain nodes takes to come up (made until
// every node runs and has pinged its gateway) and to go, for N = 1, 4, 16;
// and the raw floor: the same network and containers made, pinged and
// removed in parallel through the Docker client alone. Prints the ratios.
//
// Then a suite of tests as VirtualHomeTest runs it: how long a later test's
// home takes to come up (prepared while the test before ran: warm) against
// the first's (cold).
//
// Each figure is the median of kRounds runs, after one warm-up run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <vector>

#include "bench/engine_cpu.h"
#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/warm_homes.h"

namespace {

using Clock = std::chrono::steady_clock;
using cirque::docker::DockerClient;
constexpr int kRounds = 3;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void PingAddress(DockerClient& client, const std::string& container, const std::string& address) {
  auto result = client.Exec(container, {.cmd = {"ping", "-c", "1", "-W", "5", address}});
  if (result.exit_code != 0) {
    throw cirque::Error(cirque::ErrorCode::kInternal, "ping of " + address + " failed: " + result.stdout_text);
  }
}

struct Timing {
  double up = 0;
  double down = 0;
};

// `nodes` plain nodes: n0, n1, ...
std::vector<cirque::home::NodeSpec> PlainNodes(int nodes) {
  std::vector<cirque::home::NodeSpec> specs;
  for (int i = 0; i < nodes; ++i) specs.push_back(cirque::home::NodeSpec::Named("n" + std::to_string(i)));
  return specs;
}

// Every node of `home` pings its gateway, all at once: the home is up.
void PingEveryGateway(cirque::home::VirtualHome& home) {
  DockerClient& client = cirque::testing::CirqueEnvironment::Get().client();
  std::vector<std::future<void>> pings;
  for (const auto& name : home.NodeNames()) {
    pings.push_back(std::async(std::launch::async, [&home, &client, name] {
      cirque::home::Node& node = home.node(name);
      PingAddress(client, node.container_id(), node.gateway());
    }));
  }
  for (auto& ping : pings) ping.get();
}

Timing HomeRound(int nodes) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  Timing timing;
  auto start = Clock::now();
  auto home = cirque::home::VirtualHome::Create(environment.HomeOptionsFor("bench"), PlainNodes(nodes));
  PingEveryGateway(*home);
  timing.up = SecondsSince(start);
  start = Clock::now();
  home->Destroy();
  timing.down = SecondsSince(start);
  return timing;
}

Timing FloorRound(int nodes, const std::string& image) {
  DockerClient& client = cirque::testing::CirqueEnvironment::Get().client();
  const std::string id = cirque::home::NewId();
  cirque::docker::Labels labels = cirque::home::HomeLabels("floor-" + id);
  Timing timing;
  auto start = Clock::now();
  cirque::docker::NetworkSpec network;
  network.name = "cirque-floor-" + id;
  network.labels = labels;
  network.pools = {{"10.209.77.0/24", "10.209.77.1", ""}};
  std::string network_id = client.CreateNetwork(network);
  std::vector<std::future<std::string>> made;
  for (int i = 0; i < nodes; ++i) {
    made.push_back(std::async(std::launch::async, [&, i] {
      cirque::docker::ContainerSpec spec;
      spec.image = image;
      spec.name = "cirque-floor-" + id + "-" + std::to_string(i);
      spec.labels = labels;
      spec.process.entrypoint = std::vector<std::string>{"sleep"};
      spec.process.cmd = {"infinity"};
      spec.process.init = true;
      spec.network.endpoint = cirque::docker::EndpointSpec{.network = network.name};
      std::string container = client.CreateContainer(spec);
      client.StartContainer(container);
      PingAddress(client, container, "10.209.77.1");
      return container;
    }));
  }
  std::vector<std::string> containers;
  for (auto& container : made) containers.push_back(container.get());
  timing.up = SecondsSince(start);
  start = Clock::now();
  std::vector<std::future<void>> removing;
  for (const auto& container : containers) {
    removing.push_back(std::async(std::launch::async, [&client, container] { client.RemoveContainer(container, true); }));
  }
  for (auto& removed : removing) removed.get();
  client.RemoveNetwork(network_id);
  timing.down = SecondsSince(start);
  return timing;
}

// The body of a suite's test: every node pings every other node once.
void SuiteTestBody(cirque::home::VirtualHome& home) {
  DockerClient& client = cirque::testing::CirqueEnvironment::Get().client();
  std::vector<std::future<void>> body;
  for (const auto& from : home.NodeNames()) {
    body.push_back(std::async(std::launch::async, [&home, &client, from] {
      for (const auto& to : home.NodeNames()) {
        if (to != from) PingAddress(client, home.node(from).container_id(), home.node(to).ipv4_address());
      }
    }));
  }
  for (auto& each : body) each.get();
}

// What one test of the suite costs the engine's host in CPU time, its home
// made, its body run and its home removed with nothing beside them. However
// far ahead homes are prepared, a suite's tests cannot on average take less
// than that cost spread over the host's CPUs; less the body's own time,
// that bounds a warm home's "up" from below. Printed against the goal.
void PrintCpuCost(int nodes, double cold_up) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  const cirque::home::HomeOptions options = environment.HomeOptionsFor("home-bench-cpu");
  cirque::bench::EngineCpuMeter meter(*options.client, options.helper_image, "home-bench");
  cirque::bench::CpuLedger ledger(meter);
  auto home = cirque::home::VirtualHome::Create(options, PlainNodes(nodes));
  PingEveryGateway(*home);
  ledger.Step("making the home");
  SuiteTestBody(*home);
  ledger.Step("the test's body");
  home->Destroy();
  ledger.Step("removing the home");
  const double per_test = ledger.cpu_s() / meter.cpus();
  const double body = ledger.steps()[1].wall_s;
  std::printf("engine CPU of one such test alone (%d CPUs on the engine's host, the test process's own "
              "CPU among it when both are on one machine):\n", meter.cpus());
  ledger.Print();
  std::printf("a suite's test costs %.2f cpu-s: with %d CPUs at least %.2f s a test on average; less its body's "
              "%.2f s, a home comes up in at least %.2f s on average (goal: 0.5x cold = %.2f s)\n",
              ledger.cpu_s(), meter.cpus(), per_test, body, per_test - body, 0.5 * cold_up);
}

// A suite of `tests` tests, each with a home of `nodes` plain nodes, as
// VirtualHomeTest makes them (warm_homes.h): the first test's home made
// cold, each later one prepared while the test before it ran. Each test's
// body: every node pings every other node once; then its home goes.
// Returns each test's "up": from SetUp's start until every node has pinged
// its gateway.
std::vector<double> SuiteRound(int nodes, int tests) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  cirque::testing::WarmHomes warm;
  const std::vector<cirque::home::NodeSpec> specs = PlainNodes(nodes);
  std::vector<double> ups;
  for (int test = 0; test < tests; ++test) {
    auto start = Clock::now();
    auto home = warm.Take(environment.HomeOptionsFor("suite-" + std::to_string(test)), specs);
    if (test + 1 < tests) warm.PrepareAhead(environment.HomeOptionsFor("suite"), specs);
    PingEveryGateway(*home);
    ups.push_back(SecondsSince(start));
    SuiteTestBody(*home);  // then its TearDown:
    warm.Retire(std::move(home), "home_bench");  // removed beside the next test, as TearDown does
  }
  for (const auto& problem : warm.Drain()) std::fprintf(stderr, "home_bench: draining: %s\n", problem.c_str());
  if (warm.taken_prepared() != tests - 1) {
    throw cirque::Error(cirque::ErrorCode::kInternal, "the suite took " + std::to_string(warm.taken_prepared()) +
                                                          " prepared homes, not " + std::to_string(tests - 1));
  }
  return ups;
}

}  // namespace

int main() {
  try {
    auto& environment = cirque::testing::CirqueEnvironment::Get();
    const std::string image = environment.ResolveImage("generic");
    std::printf("engine: %s; image %s; median of %d rounds\n",
                environment.client().endpoint().ToString().c_str(), image.c_str(), kRounds);
    std::printf("%5s  %10s %10s %6s   %10s %10s %6s\n", "nodes", "home up", "floor up", "ratio",
                "home down", "floor down", "ratio");
    HomeRound(1);  // warm-up: image resolution, engine probe caches
    FloorRound(1, image);
    for (int nodes : {1, 4, 16}) {
      std::vector<double> home_up, home_down, floor_up, floor_down;
      for (int round = 0; round < kRounds; ++round) {
        Timing home = HomeRound(nodes);
        Timing floor = FloorRound(nodes, image);
        home_up.push_back(home.up);
        home_down.push_back(home.down);
        floor_up.push_back(floor.up);
        floor_down.push_back(floor.down);
      }
      double hu = Median(home_up), fu = Median(floor_up), hd = Median(home_down), fd = Median(floor_down);
      std::printf("%5d  %9.2fs %9.2fs %5.2fx   %9.2fs %9.2fs %5.2fx\n", nodes, hu, fu, hu / fu, hd,
                  fd, hd / fd);
    }
    std::printf("goal: both ratios <= 1.3x\n");

    // A suite's later tests, whose homes are prepared while the test
    // before runs (warm), against its first (cold).
    constexpr int kSuiteNodes = 4, kSuiteTests = 4;
    std::printf("\nsuite of %d tests, %d nodes each (body: every node pings every other):\n", kSuiteTests,
                kSuiteNodes);
    std::vector<double> cold, warm;
    for (int round = 0; round < kRounds; ++round) {
      std::vector<double> ups = SuiteRound(kSuiteNodes, kSuiteTests);
      cold.push_back(ups.front());
      warm.insert(warm.end(), ups.begin() + 1, ups.end());
    }
    double c = Median(cold), w = Median(warm);
    std::printf("%5s  %10s %10s %6s\n", "nodes", "cold up", "warm up", "ratio");
    std::printf("%5d  %9.2fs %9.2fs %5.2fx\n", kSuiteNodes, c, w, w / c);
    std::printf("goal: warm <= 0.5x cold\n");
    PrintCpuCost(kSuiteNodes, c);
    return 0;
  } catch (const cirque::Error& error) {
    std::fprintf(stderr, "home_bench: %s\n", error.what());
    return 1;
  }
}
