// home_bench: how long a home of N plain nodes takes to come up (made until
// every node runs and has pinged its gateway) and to go, for N = 1, 4, 16;
// and the raw floor: the same network and containers made, pinged and
// removed in parallel through the Docker client alone. Prints the ratios.
//
// Each figure is the median of kRounds runs, after one warm-up run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"

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

void PingGateway(DockerClient& client, const std::string& container, const std::string& gateway) {
  auto result = client.Exec(container, {.cmd = {"ping", "-c", "1", "-W", "5", gateway}});
  if (result.exit_code != 0) {
    throw cirque::Error(cirque::ErrorCode::kInternal, "ping of the gateway failed: " + result.stdout_text);
  }
}

struct Timing {
  double up = 0;
  double down = 0;
};

Timing HomeRound(int nodes) {
  auto& environment = cirque::testing::CirqueEnvironment::Get();
  std::vector<cirque::home::NodeSpec> specs;
  for (int i = 0; i < nodes; ++i) specs.push_back(cirque::home::NodeSpec::Named("n" + std::to_string(i)));
  Timing timing;
  auto start = Clock::now();
  auto home = cirque::home::VirtualHome::Create(environment.HomeOptionsFor("bench"), specs);
  std::vector<std::future<void>> pings;
  for (const auto& name : home->NodeNames()) {
    pings.push_back(std::async(std::launch::async, [&home, name, &environment] {
      cirque::home::Node& node = home->node(name);
      PingGateway(environment.client(), node.container_id(), node.gateway());
    }));
  }
  for (auto& ping : pings) ping.get();
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
      PingGateway(client, container, "10.209.77.1");
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
    return 0;
  } catch (const cirque::Error& error) {
    std::fprintf(stderr, "home_bench: %s\n", error.what());
    return 1;
  }
}
