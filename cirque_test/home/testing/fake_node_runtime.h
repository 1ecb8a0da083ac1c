// A node as a capability sees it (home::NodeRuntime), with no engine behind
// it: for unit tests of capabilities. Exec answers are scripted, and every
// argv a capability runs in the node or on the engine's host is recorded.
//
//   IptablesModel iptables;
//   HostRules rules(iptables.AsExec(), "iptables-nft", "home1", "owner");
//   FakeNodeRuntime node("sensor", {.ipv4_address = "10.200.7.2", .subnet = "10.200.7.0/24"});
//   node.UseHostRules(&rules);
//   node.AnswerExec({"wpa_cli"}, {.exit_code = 0, .stdout_text = "OK\n"});
//   capability.Enable(node);
//   EXPECT_THAT(node.ExecArgvs(), ...);
//
// What is not set up throws Error (kFailedPrecondition) naming it: host_rules()
// without UseHostRules, home() without UseHome.
//
// Thread safety: every method may be called from several threads. Handlers
// run without the runtime's lock held, so they may block or call back.
#ifndef CIRQUE_TEST_HOME_TESTING_FAKE_NODE_RUNTIME_H_
#define CIRQUE_TEST_HOME_TESTING_FAKE_NODE_RUNTIME_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cirque_test/home/capability.h"

namespace cirque::home::testing {

struct FakeNodeFacts {
  std::string container_id = "fake-container";
  std::string home_id = "fakehome0001";
  int host_pid = 4242;
  std::string ipv4_address = "10.200.7.2";
  std::string subnet = "10.200.7.0/24";
  std::string network_name = "cirque-fakehome0001-default";
};

class FakeNodeRuntime : public NodeRuntime {
 public:
  // Returns the exec's result, or nothing to defer to handlers added before.
  using ExecHandler = std::function<std::optional<docker::ExecResult>(const std::vector<std::string>&)>;

  explicit FakeNodeRuntime(std::string name, FakeNodeFacts facts = {});

  // --- Setting the scene -----------------------------------------------------
  // Tried newest first; with none answering, an exec exits 0 with no output.
  void OnExec(ExecHandler handler);
  // Shorthand: execs whose argv starts with `argv_prefix` get `result`.
  void AnswerExec(std::vector<std::string> argv_prefix, docker::ExecResult result);
  // The same for HostExec.
  void OnHostExec(ExecHandler handler);
  void UseHostRules(HostRules* rules);
  void UseHome(HomeContext* home);
  // From now on container_id() and the execs throw as a removed node's do.
  void MarkRemoved();

  // --- Inspection --------------------------------------------------------------
  std::vector<std::vector<std::string>> ExecArgvs() const;
  std::vector<std::vector<std::string>> HostExecArgvs() const;
  std::vector<std::vector<std::string>> BackgroundArgvs() const;
  // path -> content, as WriteFile left it.
  std::map<std::string, std::string> Files() const;

  // --- NodeRuntime ---------------------------------------------------------------
  const std::string& node_name() const override { return name_; }
  std::string container_id() const override;
  const std::string& home_id() const override { return facts_.home_id; }
  int host_pid() const override { return facts_.host_pid; }
  std::string ipv4_address() const override { return facts_.ipv4_address; }
  std::string subnet() const override { return facts_.subnet; }
  std::string network_name() const override { return facts_.network_name; }
  docker::ExecResult Exec(const std::vector<std::string>& argv, std::chrono::milliseconds deadline) override;
  std::string ExecBackground(const std::vector<std::string>& argv) override;
  void WriteFile(const std::string& path, const std::string& content, int mode) override;
  docker::ExecResult HostExec(const std::vector<std::string>& argv) override;
  HostRules& host_rules() override;
  HomeContext& home() override;

 private:
  void CheckNotRemoved() const;
  static docker::ExecResult Answer(const std::vector<ExecHandler>& handlers, const std::vector<std::string>& argv);

  const std::string name_;
  const FakeNodeFacts facts_;
  mutable std::mutex mutex_;
  bool removed_ = false;                                  // GUARDED_BY(mutex_)
  std::vector<ExecHandler> exec_handlers_;                // GUARDED_BY(mutex_)
  std::vector<ExecHandler> host_exec_handlers_;           // GUARDED_BY(mutex_)
  std::vector<std::vector<std::string>> exec_argvs_;      // GUARDED_BY(mutex_)
  std::vector<std::vector<std::string>> host_exec_argvs_;  // GUARDED_BY(mutex_)
  std::vector<std::vector<std::string>> background_argvs_;  // GUARDED_BY(mutex_)
  std::map<std::string, std::string> files_;              // GUARDED_BY(mutex_)
  HostRules* host_rules_ = nullptr;                       // GUARDED_BY(mutex_)
  HomeContext* home_ = nullptr;                           // GUARDED_BY(mutex_)
};

}  // namespace cirque::home::testing

#endif  // CIRQUE_TEST_HOME_TESTING_FAKE_NODE_RUNTIME_H_
