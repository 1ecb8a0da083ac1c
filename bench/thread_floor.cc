// The floor of thread_bench: the OpenThread processes a Thread home runs,
// started and driven through the Docker client alone: one network, N
// containers from the thread image made in parallel with the settings
// ThreadCapability::Configure gives a node, the radio kit copied in, the
// radio and ot-daemon started with the capability's own argv, and the
// network formed and joined with the fewest ot-ctl commands OpenThread
// allows. No home, no reaper, no engine probe, no capture sniffer; the
// nodes' waits run at once, each polled inside its node by one exec.
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "bench/thread_round.h"
#include "capabilities/thread/ot_ctl.h"
#include "capabilities/thread/thread_capability.h"
#include "capabilities/thread/thread_radio_kit.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/ping.h"

namespace cirque::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Lines = std::vector<std::string>;

constexpr const char* kDevice = "/dev/ttyUSB0";
constexpr const char* kSettingsDir = "/opt/cirque/thread/settings";
constexpr const char* kRadioTimeoutMs = "20000";
// Between two looks at the partitions, when they differ.
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr auto kHostStackDeadline = std::chrono::seconds(20);
constexpr auto kLeaderDeadline = std::chrono::seconds(30);
constexpr auto kAttachDeadline = std::chrono::seconds(60);
constexpr auto kPingDeadline = std::chrono::seconds(10);

void Check(bool ok, const std::string& what) {
  if (!ok) throw Error(ErrorCode::kInternal, "floor: " + what);
}

// fn(i) for every i in [first, last), all at once; waits for every one
// before rethrowing the first failure, so nothing runs on after a throw.
template <typename T>
std::vector<T> OnEach(int first, int last, const std::function<T(int)>& fn) {
  std::vector<std::future<T>> running;
  for (int i = first; i < last; ++i) running.push_back(std::async(std::launch::async, fn, i));
  std::vector<T> results;
  std::exception_ptr failure;
  for (auto& each : running) {
    try {
      results.push_back(each.get());
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

// Everything the round made, removed at its end, also when it throws.
class Made {
 public:
  explicit Made(docker::DockerClient& client) : client_(client) {}
  ~Made() {
    try {
      RemoveAll();
    } catch (const std::exception&) {
      // Labelled: the reaper removes what is left once this process is gone.
    }
  }
  void AddContainer(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    containers_.push_back(id);
  }
  void SetNetwork(const std::string& id) { network_ = id; }

  // What could not be removed. Idempotent.
  Lines RemoveAll() {
    Lines containers;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      containers.swap(containers_);
    }
    std::mutex problems_mutex;
    Lines problems;
    OnEach<bool>(0, static_cast<int>(containers.size()), [&](int i) {
      try {
        client_.RemoveContainer(containers[i], true);
      } catch (const Error& error) {
        std::lock_guard<std::mutex> lock(problems_mutex);
        if (error.code() != ErrorCode::kNotFound) problems.push_back(error.what());
      }
      return true;
    });
    if (!network_.empty()) {
      try {
        client_.RemoveNetwork(network_);
      } catch (const Error& error) {
        if (error.code() != ErrorCode::kNotFound) problems.push_back(error.what());
      }
      network_.clear();
    }
    return problems;
  }

 private:
  docker::DockerClient& client_;
  std::mutex mutex_;
  Lines containers_;  // GUARDED_BY(mutex_)
  std::string network_;
};

// One round's clock, engine and exec tally.
struct Round {
  docker::DockerClient& client;
  int time_speed = 1;
  Clock::time_point start = Clock::now();
  std::atomic<int> ot_ctl_execs{0};
  std::atomic<long long> ot_ctl_micros{0};

  double Now() const { return SecondsBetween(start, Clock::now()); }
};

Lines OtCtl(Round& round, const std::string& container, const Lines& args) {
  Lines argv = {"ot-ctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto begin = Clock::now();
  docker::ExecResult result = round.client.Exec(container, {.cmd = argv, .deadline = std::chrono::seconds(15)});
  round.ot_ctl_execs++;
  round.ot_ctl_micros += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin).count();
  capabilities::OtCtlReply reply = capabilities::ParseOtCtlReply(result.stdout_text);
  if (result.exit_code != 0 || !reply.done) {
    throw Error(ErrorCode::kInternal, "floor: '" + JoinArgv(argv) + "' in " + container.substr(0, 12) + " failed: " +
                                          (reply.error.empty() ? LastLines(result.stdout_text + result.stderr_text, 4)
                                                               : reply.error));
  }
  return reply.lines;
}

// Polls `ot-ctl state` inside the node until it names one of `roles`:
// one exec per wait, not one per poll (an exec costs a runc start, and
// sixteen nodes polling by exec keep a 2-core engine busy). Prints the role.
constexpr const char* kAwaitRoleScript = R"sh(
deadline=$(( $(date +%s) + $1 )); shift
while :; do
  role=$(ot-ctl state 2>/dev/null | head -n 1 | tr -d '\r')
  for want in "$@"; do [ "$role" = "$want" ] && { echo "$role"; exit 0; }; done
  [ "$(date +%s)" -lt "$deadline" ] || { echo "last role: '$role'" >&2; exit 1; }
  sleep 0.05
done
)sh";

void AwaitRole(Round& round, const std::string& container, const Lines& roles, std::chrono::seconds deadline) {
  Lines argv = {"sh", "-c", kAwaitRoleScript, "await-role", std::to_string(deadline.count())};
  argv.insert(argv.end(), roles.begin(), roles.end());
  docker::ExecResult result =
      round.client.Exec(container, {.cmd = argv, .deadline = deadline + std::chrono::seconds(10)});
  Check(result.exit_code == 0, container.substr(0, 12) + " not " + roles.front() + " within " +
                                   std::to_string(deadline.count()) + " s: " + LastLines(result.stderr_text, 2));
}

const Lines kAnyRole = {"disabled", "detached", "child", "router", "leader"};
const Lines kAttached = {"child", "router", "leader"};

struct NodeUp {
  std::string container;
  double started = 0, radio = 0, up = 0;           // marks
  double create_s = 0, kit_s = 0, radio_exec_s = 0, radio_await_s = 0, host_s = 0;  // step durations
};

// One node from nothing to its host stack answering, as the capability
// does it: container, kit, radio (then `await`), ot-daemon, `ot-ctl state`.
NodeUp BringUp(Round& round, Made& made, const docker::ContainerSpec& base, const capabilities::ThreadRadioKit& kit,
               int node_id) {
  using namespace capabilities;
  NodeUp node;
  docker::ContainerSpec spec = base;
  spec.name = base.name + "-" + std::to_string(node_id);
  auto step = Clock::now();
  auto lap = [&step] {
    auto now = Clock::now();
    double seconds = SecondsBetween(step, now);
    step = now;
    return seconds;
  };
  node.container = round.client.CreateContainer(spec);
  made.AddContainer(node.container);
  round.client.StartContainer(node.container);
  node.create_s = lap();
  node.started = round.Now();

  round.client.CopyToContainer(node.container, "/", kit.archive(/*rcp=*/true));
  node.kit_s = lap();
  Lines radio = {kThreadTtyPath, "radio", "--device", kDevice, "--interface", "eth0", "--dir", kSettingsDir,
                 "--log", kThreadRadioLog, "--port-offset", "0", "--timeout-ms", kRadioTimeoutMs, "--",
                 kOtRcpPath};  // the launcher gives the radio -L <eth0's IPv4 address>, as in a node
  if (round.time_speed != 1) radio.insert(radio.end(), {"-s", std::to_string(round.time_speed)});
  radio.push_back(std::to_string(node_id));
  round.client.ExecDetached(node.container, {.cmd = radio});
  node.radio_exec_s = lap();
  docker::ExecResult ready = round.client.Exec(
      node.container, {.cmd = {kThreadTtyPath, "await", "--device", kDevice, "--timeout-ms", kRadioTimeoutMs, "--log",
                               kThreadRadioLog},
                       .deadline = std::chrono::seconds(30)});
  Check(ready.exit_code == 0, "radio " + std::to_string(node_id) + " did not come up: " +
                                  LastLines(ready.stderr_text + ready.stdout_text, 6));
  node.radio_await_s = lap();
  node.radio = round.Now();

  Lines daemon = {kThreadTtyPath, "run", "--log", kThreadHostStackLog, "--", "ot-daemon", "-I", "wpan0", "-v"};
  if (round.time_speed != 1) daemon.insert(daemon.end(), {"-s", std::to_string(round.time_speed)});
  daemon.push_back(std::string("spinel+hdlc+uart://") + kDevice);
  round.client.ExecDetached(node.container, {.cmd = daemon});
  AwaitRole(round, node.container, kAnyRole, kHostStackDeadline);
  node.host_s = lap();
  node.up = round.Now();
  return node;
}

double MaxOf(const std::vector<NodeUp>& nodes, double NodeUp::*field) {
  double most = 0;
  for (const auto& node : nodes) most = std::max(most, node.*field);
  return most;
}

double MeanOf(const std::vector<NodeUp>& nodes, double NodeUp::*field) {
  double sum = 0;
  for (const auto& node : nodes) sum += node.*field;
  return nodes.empty() ? 0 : sum / nodes.size();
}

}  // namespace

ThreadRound FloorRound(int nodes, int time_speed) {
  runtime::Runtime& runtime = testing::CirqueEnvironment::Get();
  docker::DockerClient& client = runtime.client();
  const std::string image = runtime.ResolveImage(images::kThreadImage);
  const std::string id = home::NewId();
  docker::Labels labels = home::HomeLabels("thread-floor-" + id);
  auto labelled = [&labels](const std::string& role) {
    docker::Labels with_role = labels;
    with_role[home::kRoleLabel] = role;
    return with_role;
  };
  // Fetched once per process (the warm-up did): not part of a round.
  auto kit = capabilities::RadioKitFor(client, image, labelled("bench-floor-kit"),
                                       capabilities::FindBuiltTool(capabilities::kThreadTty));

  Made made(client);
  Round round{.client = client, .time_speed = time_speed};
  ThreadRound times;
  docker::NetworkSpec network;
  network.name = "cirque-floor-" + id;
  network.labels = labelled("bench-floor-network");
  made.SetNetwork(client.CreateNetwork(network));
  times.notes["network"] = round.Now();

  docker::ContainerSpec base;
  base.image = image;
  base.name = network.name;
  base.labels = labelled("bench-floor");
  base.process.entrypoint = std::vector<std::string>{"sleep"};
  base.process.cmd = {"infinity"};
  base.process.init = true;
  base.network.endpoint = docker::EndpointSpec{.network = network.name};
  // The node's sysctls, capabilities and tun device, from the capability.
  capabilities::ThreadCapability(capabilities::ThreadSettings{.time_speed = time_speed}, {}).Configure(base);

  std::vector<NodeUp> up = OnEach<NodeUp>(1, nodes + 1, [&](int node_id) {
    return BringUp(round, made, base, *kit, node_id);
  });
  times.containers = MaxOf(up, &NodeUp::started);
  times.radios = MaxOf(up, &NodeUp::radio);
  times.up = MaxOf(up, &NodeUp::up);
  times.notes["container"] = MeanOf(up, &NodeUp::create_s);
  times.notes["kit copy"] = MeanOf(up, &NodeUp::kit_s);
  times.notes["radio exec"] = MeanOf(up, &NodeUp::radio_exec_s);
  times.notes["radio await"] = MeanOf(up, &NodeUp::radio_await_s);
  times.notes["host stack"] = MeanOf(up, &NodeUp::host_s);

  const std::string leader = up.front().container;
  for (const Lines& args : std::vector<Lines>{{"dataset", "init", "new"},
                                             {"dataset", "commit", "active"},
                                             {"routerselectionjitter", "1"},
                                             {"ifconfig", "up"},
                                             {"thread", "start"},
                                             {"state", "leader"}}) {
    OtCtl(round, leader, args);
  }
  AwaitRole(round, leader, {"leader"}, kLeaderDeadline);
  Lines dataset = OtCtl(round, leader, {"dataset", "active", "-x"});
  Check(!dataset.empty(), "the leader printed no dataset");
  times.leader = round.Now();

  OnEach<bool>(1, nodes, [&](int i) {
    for (const Lines& args : std::vector<Lines>{{"dataset", "set", "active", dataset.front()},
                                               {"routerselectionjitter", "1"},
                                               {"ifconfig", "up"},
                                               {"thread", "start"}}) {
      OtCtl(round, up[i].container, args);
    }
    return true;
  });
  // Attached, then one partition id among all (the leader's included).
  const auto attach_end = Clock::now() + kAttachDeadline;
  while (true) {
    std::vector<std::string> partitions = OnEach<std::string>(0, nodes, [&](int i) {
      auto left = std::chrono::duration_cast<std::chrono::seconds>(attach_end - Clock::now());
      AwaitRole(round, up[i].container, kAttached, std::max(left, std::chrono::seconds(1)));
      Lines partition = OtCtl(round, up[i].container, {"partitionid"});
      return partition.empty() ? std::string() : partition.front();
    });
    if (std::set<std::string>(partitions.begin(), partitions.end()).size() == 1) break;
    Check(Clock::now() < attach_end, "the nodes are in more than one partition after 60 s");
    std::this_thread::sleep_for(kPollInterval);
  }
  times.attached = round.Now();

  Lines address = OtCtl(round, leader, {"ipaddr", "mleid"});
  Check(!address.empty(), "the leader has no ML-EID");
  testing::PingResult ping;
  const auto ping_end = Clock::now() + kPingDeadline;
  do {
    // The fixture's arguments: 16 bytes, 1 echo, 0.2 s apart, hop limit 64, 2 s timeout.
    docker::ExecResult exec =
        client.Exec(up.back().container, {.cmd = {"ot-ctl", "ping", address.front(), "16", "1", "0.2", "64", "2"},
                                          .deadline = std::chrono::seconds(15)});
    testing::PingResult attempt;
    testing::ParsePingOutput(exec.stdout_text, attempt);
    ping.received += attempt.received;
    ping.output = exec.stdout_text + exec.stderr_text;
  } while (ping.received == 0 && Clock::now() < ping_end);
  Check(ping.received > 0, "the ping of the leader was not answered: " + LastLines(ping.output, 4));
  times.pinged = round.Now();

  times.notes["ot-ctl execs"] = round.ot_ctl_execs;
  times.notes["exec round trip"] =
      round.ot_ctl_execs == 0 ? 0 : round.ot_ctl_micros / 1e6 / round.ot_ctl_execs;
  auto begin = Clock::now();
  Lines problems = made.RemoveAll();
  times.notes["teardown"] = SecondsBetween(begin, Clock::now());
  if (!problems.empty()) Check(false, "removing what the round made: " + problems.front());
  return times;
}

}  // namespace cirque::bench
