// thread_bench: a Thread home of N nodes (3, 8, 16) at time speed 1 and
// 10, from the start of set-up (what VirtualHomeTest::SetUp does) to every
// node attached and a ping answered, by phase: home up (containers, radios
// and host stacks answering), leader (FormNetwork returned), all attached
// (AwaitOnePartition held), first ping (the last node's ThreadNode Ping of
// the leader). Beside it, the floor measured in the same run: the same
// OpenThread processes through the Docker client alone (thread_floor.cc).
// Prints both per phase, the ratio of the totals, and where the time went.
//
// Rounds alternate cirque and floor; each figure is from the median round
// (by total) after one warm-up of each (image, radio kit, engine probe).
//   bazel run -c opt //bench:thread_bench -- [node counts, default 3 8 16]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <optional>
#include <sstream>

#include "bench/thread_round.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/thread_nodes.h"

namespace {

using Clock = std::chrono::steady_clock;
using cirque::Error;
using cirque::ErrorCode;
using cirque::bench::SecondsBetween;
using cirque::bench::ThreadRound;
using cirque::testing::ThreadNode;

// Rounds per scenario, of which the median is shown: one for 16 nodes,
// whose round (cirque and floor) takes most of a minute.
constexpr int kRounds = 3;
constexpr int kLargeHomeRounds = 1;
int RoundsFor(int nodes) { return nodes >= 16 ? kLargeHomeRounds : kRounds; }

void Check(bool ok, const std::string& what) {
  if (!ok) throw Error(ErrorCode::kInternal, what);
}

double Total(const ThreadRound& round) { return round.pinged; }

// Per-node step durations from the home's timeline: "thread radio n3" ->
// {"n3": seconds}, for the steps whose name starts with `prefix`.
std::map<std::string, double> Steps(const std::vector<cirque::home::Timeline::Span>& spans, const std::string& prefix) {
  std::map<std::string, double> steps;
  for (const auto& span : spans) {
    if (span.what.rfind(prefix, 0) == 0) steps[span.what.substr(prefix.size())] = span.end_s - span.begin_s;
  }
  return steps;
}

double Mean(const std::map<std::string, double>& values) {
  double sum = 0;
  for (const auto& [name, value] : values) sum += value;
  return values.empty() ? 0 : sum / values.size();
}

// What the home's timeline says of its set-up, as notes.
void NoteTimeline(const cirque::home::Timeline& timeline, double offset, ThreadRound& round) {
  const auto spans = timeline.Spans();
  auto enable = Steps(spans, "enable Thread "), radio = Steps(spans, "thread radio "),
       host = Steps(spans, "thread host stack ");
  // What Enable spends outside the radio and the host-stack wait: the
  // capture sniffer's Watch (the first node makes the sniffer while the
  // others queue on its lock), the host stack's exec, the links' restore.
  std::map<std::string, double> rest;
  double most = 0;
  for (const auto& [node, seconds] : enable) {
    rest[node] = seconds - radio[node] - host[node];
    most = std::max(most, rest[node]);
  }
  round.notes["before home"] = offset;  // the reaper and the home's options
  round.notes["network"] = timeline.LastEnd("network ") + offset;
  round.notes["engine probe"] = Mean(Steps(spans, "engine probe"));
  round.notes["container"] = Mean(Steps(spans, "container "));
  round.notes["radio"] = Mean(radio);
  round.notes["host stack"] = Mean(host);
  round.notes["enable rest"] = Mean(rest);
  round.notes["enable rest max"] = most;
}

ThreadRound CirqueRound(int nodes, int time_speed) {
  std::vector<cirque::home::NodeSpec> specs;
  for (int i = 0; i < nodes; ++i) {
    specs.push_back(cirque::testing::ThreadNodeSpec("n" + std::to_string(i), {.time_speed = time_speed}));
  }
  ThreadRound round;
  const auto start = Clock::now();
  auto now = [&start] { return SecondsBetween(start, Clock::now()); };
  auto home = cirque::testing::CirqueEnvironment::Get().MakeHome("thread-bench", specs);
  round.up = now();
  // The timeline counts from the home's construction, after the reaper.
  const cirque::home::Timeline& timeline = home->timeline();
  const double offset = SecondsBetween(start, timeline.origin());
  round.containers = timeline.LastEnd("container ") + offset;
  round.radios = timeline.LastEnd("thread radio ") + offset;

  std::vector<ThreadNode> thread;
  for (int i = 0; i < nodes; ++i) thread.emplace_back(home->node("n" + std::to_string(i)));
  std::string dataset = thread.front().FormNetwork();
  round.leader = now();
  // Joined from a thread each, as the floor does: a test's loop (as in
  // examples/) runs each node's four ot-ctl execs after the last node's.
  std::vector<std::future<void>> joining;
  for (int i = 1; i < nodes; ++i) {
    joining.push_back(std::async(std::launch::async, [&thread, &dataset, i] { thread[i].JoinNetwork(dataset); }));
  }
  for (auto& join : joining) join.get();
  std::vector<ThreadNode*> all;
  for (auto& member : thread) all.push_back(&member);
  auto partition = cirque::testing::AwaitOnePartition(all, std::chrono::seconds(60));
  if (!partition.OnePartitionOneLeader()) {
    std::ostringstream text;
    cirque::testing::PrintTo(partition, &text);
    throw Error(ErrorCode::kDeadlineExceeded, "not one partition: " + text.str() + partition.log_tail);
  }
  round.attached = now();
  auto ping = cirque::testing::Ping(thread.back(), thread.front());
  Check(ping.ok(), "the ping of the leader failed: " + ping.output);
  round.pinged = now();

  NoteTimeline(timeline, offset, round);
  auto begin = Clock::now();
  home->Destroy();
  round.notes["teardown"] = SecondsBetween(begin, Clock::now());
  return round;
}

ThreadRound MedianRound(std::vector<ThreadRound> rounds) {
  std::sort(rounds.begin(), rounds.end(), [](const auto& a, const auto& b) { return Total(a) < Total(b); });
  return rounds[(rounds.size() - 1) / 2];
}

struct Scenario {
  int nodes = 0, speed = 1;
  int rounds = 0;    // rounds measured (cirque and floor each)
  int failures = 0;  // failed tries, retried
  ThreadRound cirque, floor;
};

// A try that fails (a node not attached, or a ping not answered in time,
// as seen on a loaded machine) is reported and made again, up to kTries
// times; then the scenario stops with the rounds it has.
constexpr int kTries = 3;

std::optional<ThreadRound> Attempt(const char* who, Scenario& scenario, const std::function<ThreadRound()>& run) {
  for (int attempt = 1; attempt <= kTries; ++attempt) {
    try {
      return run();
    } catch (const Error& error) {
      ++scenario.failures;
      std::string what = error.what();
      std::printf("  %s failed (try %d of %d): %s\n", who, attempt, kTries, what.substr(0, what.find('\n')).c_str());
      std::fprintf(stderr, "%s: %s\n", who, what.c_str());
    }
  }
  return std::nullopt;
}

// home up, leader, attached, first ping: each phase's length.
std::vector<double> Phases(const ThreadRound& r) {
  return {r.up, r.leader - r.up, r.attached - r.leader, r.pinged - r.attached};
}

void PrintRound(const char* who, const ThreadRound& r) {
  auto phases = Phases(r);
  std::printf("    %-6s up %.2f s, leader %.2f s, attached %.2f s, ping %.2f s: %.2f s\n", who, phases[0], phases[1],
              phases[2], phases[3], Total(r));
}

void PrintTable(const std::vector<Scenario>& scenarios) {
  std::printf("\n%5s %5s %6s |%16s |%16s |%16s |%16s |%16s | %6s\n", "nodes", "speed", "rounds", "home up",
              "leader", "attached", "first ping", "total", "ratio");
  std::printf("%5s %5s %6s |", "", "", "");
  for (int i = 0; i < 5; ++i) std::printf(" %7s %7s |", "cirque", "floor");
  std::printf("\n");
  for (const auto& s : scenarios) {
    std::printf("%5d %5d %6d |", s.nodes, s.speed, s.rounds);
    if (s.rounds == 0) {
      std::printf(" no round succeeded in %d tries\n", s.failures);
      continue;
    }
    auto ours = Phases(s.cirque), floor = Phases(s.floor);
    for (size_t i = 0; i < ours.size(); ++i) std::printf(" %6.2fs %6.2fs |", ours[i], floor[i]);
    std::printf(" %6.2fs %6.2fs | %5.2fx", Total(s.cirque), Total(s.floor), Total(s.cirque) / Total(s.floor));
    std::printf(s.failures > 0 ? "  (%d failed tries)\n" : "\n", s.failures);
  }
}

void PrintNotes(const char* who, const ThreadRound& r) {
  std::printf("    %-6s marks: containers %.2f, radios %.2f, up %.2f; steps:", who, r.containers, r.radios, r.up);
  for (const auto& [name, value] : r.notes) {
    if (name == "ot-ctl execs") {
      std::printf(" %s %.0f;", name.c_str(), value);
    } else {
      std::printf(" %s %.3f;", name.c_str(), value);
    }
  }
  std::printf("\n");
}

void PrintGoals(const std::vector<Scenario>& scenarios) {
  std::printf("\ngoals: total/floor <= 1.2; 3 nodes attached and pinging <= 6 s (speed 1), <= 4 s (speed 10)\n");
  for (const auto& s : scenarios) {
    if (s.rounds == 0) continue;
    double ratio = Total(s.cirque) / Total(s.floor);
    std::printf("  %2d nodes, speed %2d: ratio %.2fx %s", s.nodes, s.speed, ratio, ratio <= 1.2 ? "met" : "NOT met");
    if (s.nodes == 3) {
      double limit = s.speed == 1 ? 6 : 4;
      std::printf("; %.2f s <= %.0f s %s", Total(s.cirque), limit, Total(s.cirque) <= limit ? "met" : "NOT met");
    }
    std::printf("\n");
  }
}

std::string LoadAverage() {
  std::string load;
  std::getline(std::ifstream("/proc/loadavg"), load);
  return load;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> node_counts;
  for (int i = 1; i < argc; ++i) node_counts.push_back(std::max(2, std::atoi(argv[i])));
  if (node_counts.empty()) node_counts = {3, 8, 16};
  try {
    auto& runtime = cirque::testing::CirqueEnvironment::Get();
    const std::string image = runtime.ResolveImage(cirque::images::kThreadImage);
    std::printf("engine: %s; image thread = %s; load average: %s\n", runtime.client().endpoint().ToString().c_str(),
                image.c_str(), LoadAverage().c_str());
    std::printf("warm-up (image, radio kit, engine probe: once per process)...\n");
    std::fflush(stdout);
    Scenario warm_up;
    Attempt("cirque warm-up", warm_up, [] { return CirqueRound(3, 1); });
    Attempt("floor warm-up", warm_up, [] { return cirque::bench::FloorRound(3, 1); });
    std::vector<Scenario> scenarios;
    for (int nodes : node_counts) {
      for (int speed : {1, 10}) {
        Scenario scenario{.nodes = nodes, .speed = speed};
        std::vector<ThreadRound> ours, floor;
        for (int round = 0; round < RoundsFor(nodes); ++round) {
          auto framework = Attempt("cirque", scenario, [&] { return CirqueRound(nodes, speed); });
          auto bare = Attempt("floor", scenario, [&] { return cirque::bench::FloorRound(nodes, speed); });
          if (!framework || !bare) break;
          ours.push_back(*framework);
          floor.push_back(*bare);
          std::printf("%2d nodes, speed %2d, round %d:\n", nodes, speed, round + 1);
          PrintRound("cirque", ours.back());
          PrintRound("floor", floor.back());
          std::fflush(stdout);
        }
        scenario.rounds = static_cast<int>(ours.size());
        if (scenario.rounds > 0) {
          scenario.cirque = MedianRound(ours);
          scenario.floor = MedianRound(floor);
        }
        scenarios.push_back(scenario);
      }
    }
    PrintTable(scenarios);
    std::printf("\nwhere the time went (median rounds; marks: s since set-up began; steps: s, mean per node):\n");
    for (const auto& s : scenarios) {
      if (s.rounds == 0) continue;
      std::printf("  %d nodes, speed %d\n", s.nodes, s.speed);
      PrintNotes("cirque", s.cirque);
      PrintNotes("floor", s.floor);
    }
    PrintGoals(scenarios);
    std::printf("load average at the end: %s\n", LoadAverage().c_str());
    return 0;
  } catch (const Error& error) {
    std::fprintf(stderr, "thread_bench: %s\n", error.what());
    return 1;
  }
}
