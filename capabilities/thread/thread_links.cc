#include "capabilities/thread/thread_links.h"

#include <cstdio>

#include "capabilities/thread/idle_helper.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

std::pair<std::string, std::string> Pair(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

std::string Probability(double loss) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", loss);
  return text;
}

}  // namespace

std::vector<std::string> LinkDropRule(const ThreadMember& from, const ThreadMember& to, double loss) {
  std::vector<std::string> rule = {"-p", "udp", "--sport", std::to_string(ThreadSendPort(from.petition, from.node_id)),
                                   "--dport", std::to_string(ThreadListenPort(to.petition))};
  if (loss < 1) rule.insert(rule.end(), {"-m", "statistic", "--mode", "random", "--probability", Probability(loss)});
  rule.insert(rule.end(), {"-m", "comment", "--comment", "cirque thread link from " + from.node, "-j", "DROP"});
  return rule;
}

ThreadLinks::ThreadLinks(home::HomeContext& home, ThreadMedia& media) : home_(home), media_(media) {}

ThreadLinks::~ThreadLinks() { Close(); }

std::vector<std::string> ThreadLinks::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> problems;
  for (const auto& [node, helper] : helpers_) {
    try {
      home_.client().RemoveContainer(helper.container_id, true);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) problems.push_back(error.what());
    }
  }
  helpers_.clear();
  return problems;
}

void ThreadLinks::Release() {
  std::lock_guard<std::mutex> lock(mutex_);
  helpers_.clear();
}

void ThreadLinks::SetLoss(home::NodeRuntime& a, home::NodeRuntime& b, double loss) {
  if (!(loss >= 0 && loss <= 1)) {
    throw Error(ErrorCode::kInvalidArgument, "Thread link " + a.node_name() + " - " + b.node_name() + ": loss " +
                                                 std::to_string(loss) + " is not in 0..1 (0 heals, 1 cuts)");
  }
  if (a.node_name() == b.node_name()) {
    throw Error(ErrorCode::kInvalidArgument, "Thread link " + a.node_name() + " - " + b.node_name() +
                                                 ": a node has no link to itself");
  }
  ThreadMember member_a = media_.MemberOf(a.node_name()), member_b = media_.MemberOf(b.node_name());
  if (member_a.petition != member_b.petition) {
    throw Error(ErrorCode::kInvalidArgument,
                "Thread link " + a.node_name() + " - " + b.node_name() + ": they are on different petitions (" +
                    std::to_string(member_a.petition) + ", " + std::to_string(member_b.petition) +
                    ") and never hear each other");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  double& current = loss_[Pair(a.node_name(), b.node_name())];
  if (current == loss) return;
  Apply(b, member_a, member_b, current, loss);
  Apply(a, member_b, member_a, current, loss);
  current = loss;
}

double ThreadLinks::Loss(const std::string& a, const std::string& b) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = loss_.find(Pair(a, b));
  return found == loss_.end() ? 0 : found->second;
}

void ThreadLinks::Forget(const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = helpers_.find(node);
  if (found == helpers_.end()) return;
  try {
    home_.client().RemoveContainer(found->second.container_id, true);
  } catch (const std::exception&) {
    // Labelled as the home's: the home's teardown or the reaper removes it.
  }
  helpers_.erase(found);
}

void ThreadLinks::Restore(home::NodeRuntime& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [pair, loss] : loss_) {
    if (loss == 0 || (pair.first != node.node_name() && pair.second != node.node_name())) continue;
    const std::string& peer = pair.first == node.node_name() ? pair.second : pair.first;
    // A fresh namespace holds none of the node's old rules.
    Apply(node, media_.MemberOf(peer), media_.MemberOf(node.node_name()), 0, loss);
  }
}

void ThreadLinks::Apply(home::NodeRuntime& receiver, const ThreadMember& from, const ThreadMember& to,
                        double old_loss, double loss) {
  std::string helper = HelperFor(receiver);
  if (old_loss > 0) {
    std::vector<std::string> argv = {"iptables", "-w", "-D", "INPUT"};
    for (auto& word : LinkDropRule(from, to, old_loss)) argv.push_back(word);
    RunIn(helper, argv);
  }
  if (loss > 0) {
    std::vector<std::string> argv = {"iptables", "-w", "-A", "INPUT"};
    for (auto& word : LinkDropRule(from, to, loss)) argv.push_back(word);
    RunIn(helper, argv);
  }
}

std::string ThreadLinks::HelperFor(home::NodeRuntime& node) {
  if (auto found = helpers_.find(node.node_name()); found != helpers_.end()) return found->second.container_id;
  docker::ContainerSpec spec = IdleHelperSpec(home_, "thread-link", "thread-link-" + node.node_name());
  spec.network.network_mode = "container:" + node.container_id();
  spec.security.cap_add = {"NET_ADMIN"};
  std::string id = home_.client().CreateContainer(spec);
  helpers_[node.node_name()] = {id};
  home_.client().StartContainer(id);
  return id;
}

void ThreadLinks::RunIn(const std::string& helper, const std::vector<std::string>& argv) {
  docker::ExecResult result = home_.client().Exec(helper, {.cmd = argv, .deadline = std::chrono::seconds(20)});
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "Thread link: '" + JoinArgv(argv) + "' exited " +
                                          std::to_string(result.exit_code) + ": " +
                                          LastLines(result.stderr_text + result.stdout_text, 3));
  }
}

ThreadLinks& HomeThreadLinks(home::HomeContext& home) {
  ThreadMedia& media = HomeThreadMedia(home);
  return home.Resource<ThreadLinks>(ThreadLinks::kResourceKey,
                                    [&home, &media] { return std::make_unique<ThreadLinks>(home, media); });
}

}  // namespace cirque::capabilities
