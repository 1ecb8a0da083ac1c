// docker_client_bench: how long 10 containers take to create, start, exec in
// and remove, through cirque's client and through the `docker` CLI, on the
// engine named by DOCKER_HOST (default: the local socket).
//
// Prints one line per method and the ratio client / CLI. Each run imports a
// busybox test image, labelled, and removes it at the end.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/testing/busybox_image.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace {

using cirque::docker::ContainerSpec;
using cirque::docker::DockerClient;
using Clock = std::chrono::steady_clock;

constexpr int kContainers = 10;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

ContainerSpec BenchSpec(const std::string& image, const cirque::docker::Labels& labels) {
  ContainerSpec spec;
  spec.image = image;
  spec.labels = labels;
  spec.process.cmd = {"sleep", "600"};
  return spec;
}

// Seconds spent in each phase, summed over the sequential client runs.
struct PhaseTimes {
  double create = 0, start = 0, exec = 0, remove = 0;
};

// One container's whole life through the client.
void ClientLifecycle(DockerClient& client, const ContainerSpec& spec, PhaseTimes* times = nullptr) {
  auto mark = Clock::now();
  auto lap = [&](double PhaseTimes::*phase) {
    if (times != nullptr) times->*phase += SecondsSince(mark);
    mark = Clock::now();
  };
  std::string id = client.CreateContainer(spec);
  lap(&PhaseTimes::create);
  client.StartContainer(id);
  lap(&PhaseTimes::start);
  cirque::docker::ExecResult result = client.Exec(id, {.cmd = {"true"}});
  if (result.exit_code != 0) throw std::runtime_error("exec 'true' failed");
  lap(&PhaseTimes::exec);
  client.RemoveContainer(id, true);
  lap(&PhaseTimes::remove);
}

// One container's whole life through the CLI, as a shell script would do it.
void CliLifecycle(const std::string& image, const std::string& run) {
  std::string id = cirque::RunProcessOrThrow({"docker", "create", "--label", "cirque.bench=" + run,
                                              image, "sleep", "600"})
                       .stdout_text;
  id.erase(id.find_last_not_of("\n") + 1);
  cirque::RunProcessOrThrow({"docker", "start", id});
  cirque::RunProcessOrThrow({"docker", "exec", id, "true"});
  cirque::RunProcessOrThrow({"docker", "rm", "-f", id});
}

}  // namespace

int main() {
  try {
    DockerClient client;
    std::string run = std::to_string(getpid());
    cirque::docker::Labels labels = {{"cirque.bench", run}};
    std::string image = cirque::docker::testing::ImportBusyboxImage(client, "cirque-bench/busybox",
                                                                   run, labels);
    ContainerSpec spec = BenchSpec(image, labels);
    std::string cli_version =
        cirque::RunProcessOrThrow({"docker", "version", "--format", "{{.Client.Version}}"}).stdout_text;
    cli_version.erase(cli_version.find_last_not_of("\n") + 1);

    // Warm both paths once so neither pays first-use costs in the figures.
    ClientLifecycle(client, spec);
    CliLifecycle(image, run);

    auto start = Clock::now();
    PhaseTimes phases;
    for (int i = 0; i < kContainers; ++i) ClientLifecycle(client, spec, &phases);
    double client_sequential = SecondsSince(start);

    start = Clock::now();
    std::vector<std::future<void>> running;
    for (int i = 0; i < kContainers; ++i) {
      running.push_back(std::async(std::launch::async, [&] { ClientLifecycle(client, spec); }));
    }
    for (auto& done : running) done.get();
    double client_parallel = SecondsSince(start);

    start = Clock::now();
    for (int i = 0; i < kContainers; ++i) CliLifecycle(image, run);
    double cli_sequential = SecondsSince(start);

    client.RemoveImage(image, true);

    std::printf("engine: %s (API %s); docker CLI %s\n", client.endpoint().ToString().c_str(),
                client.api_version().c_str(), cli_version.c_str());
    std::printf("%d containers: create, start, exec 'true', remove\n", kContainers);
    std::printf("  client, one after another: %7.3f s  (%.0f ms per container)\n",
                client_sequential, client_sequential * 1000 / kContainers);
    std::printf("    per container: create %.0f ms, start %.0f ms, exec %.0f ms, remove %.0f ms\n",
                phases.create * 1000 / kContainers, phases.start * 1000 / kContainers,
                phases.exec * 1000 / kContainers, phases.remove * 1000 / kContainers);
    std::printf("  client, 10 in parallel:    %7.3f s\n", client_parallel);
    std::printf("  docker CLI, one after another: %7.3f s  (%.0f ms per container)\n",
                cli_sequential, cli_sequential * 1000 / kContainers);
    std::printf("ratio client/CLI, sequential: %.2fx   parallel client/CLI: %.2fx   (goal <= 0.5x)\n",
                client_sequential / cli_sequential, client_parallel / cli_sequential);
    return 0;
  } catch (const cirque::Error& error) {
    std::fprintf(stderr, "docker_client_bench: %s\n", error.what());
    return 1;
  }
}
