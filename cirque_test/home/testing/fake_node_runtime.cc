#include "cirque_test/home/testing/fake_node_runtime.h"

#include <algorithm>

#include "cirque_test/util/error.h"

namespace cirque::home::testing {

FakeNodeRuntime::FakeNodeRuntime(std::string name, FakeNodeFacts facts)
    : name_(std::move(name)), facts_(std::move(facts)) {}

void FakeNodeRuntime::OnExec(ExecHandler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  exec_handlers_.push_back(std::move(handler));
}

void FakeNodeRuntime::AnswerExec(std::vector<std::string> argv_prefix, docker::ExecResult result) {
  OnExec([prefix = std::move(argv_prefix), result](const std::vector<std::string>& argv)
             -> std::optional<docker::ExecResult> {
    if (argv.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), argv.begin())) return std::nullopt;
    return result;
  });
}

void FakeNodeRuntime::OnHostExec(ExecHandler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  host_exec_handlers_.push_back(std::move(handler));
}

void FakeNodeRuntime::UseHostRules(HostRules* rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  host_rules_ = rules;
}

void FakeNodeRuntime::UseHome(HomeContext* home) {
  std::lock_guard<std::mutex> lock(mutex_);
  home_ = home;
}

void FakeNodeRuntime::MarkRemoved() {
  std::lock_guard<std::mutex> lock(mutex_);
  removed_ = true;
}

std::vector<std::vector<std::string>> FakeNodeRuntime::ExecArgvs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return exec_argvs_;
}

std::vector<std::vector<std::string>> FakeNodeRuntime::HostExecArgvs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return host_exec_argvs_;
}

std::vector<std::vector<std::string>> FakeNodeRuntime::BackgroundArgvs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return background_argvs_;
}

std::map<std::string, std::string> FakeNodeRuntime::Files() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_;
}

void FakeNodeRuntime::CheckNotRemoved() const {
  // The same code and wording as a real node's, so capabilities' handling
  // of a removed node can be tested here.
  std::lock_guard<std::mutex> lock(mutex_);
  if (removed_) {
    throw Error(ErrorCode::kFailedPrecondition, "node '" + name_ + "' was removed (or never made)");
  }
}

std::string FakeNodeRuntime::container_id() const {
  CheckNotRemoved();
  return facts_.container_id;
}

docker::ExecResult FakeNodeRuntime::Answer(const std::vector<ExecHandler>& handlers,
                                           const std::vector<std::string>& argv) {
  for (auto it = handlers.rbegin(); it != handlers.rend(); ++it) {
    if (std::optional<docker::ExecResult> answer = (*it)(argv)) return *answer;
  }
  return {.exit_code = 0};
}

docker::ExecResult FakeNodeRuntime::Exec(const std::vector<std::string>& argv, std::chrono::milliseconds deadline) {
  (void)deadline;  // nothing runs, so nothing can take long
  CheckNotRemoved();
  std::vector<ExecHandler> handlers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exec_argvs_.push_back(argv);
    handlers = exec_handlers_;
  }
  return Answer(handlers, argv);
}

std::string FakeNodeRuntime::ExecBackground(const std::vector<std::string>& argv) {
  CheckNotRemoved();
  std::lock_guard<std::mutex> lock(mutex_);
  background_argvs_.push_back(argv);
  return "fake-exec-" + std::to_string(background_argvs_.size());
}

void FakeNodeRuntime::WriteFile(const std::string& path, const std::string& content, int mode) {
  (void)mode;
  CheckNotRemoved();
  std::lock_guard<std::mutex> lock(mutex_);
  files_[path] = content;
}

docker::ExecResult FakeNodeRuntime::HostExec(const std::vector<std::string>& argv) {
  std::vector<ExecHandler> handlers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    host_exec_argvs_.push_back(argv);
    handlers = host_exec_handlers_;
  }
  return Answer(handlers, argv);
}

HostRules& FakeNodeRuntime::host_rules() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (host_rules_ == nullptr) {
    throw Error(ErrorCode::kFailedPrecondition,
                "FakeNodeRuntime '" + name_ + "': host_rules() needs UseHostRules first");
  }
  return *host_rules_;
}

HomeContext& FakeNodeRuntime::home() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (home_ == nullptr) {
    throw Error(ErrorCode::kFailedPrecondition, "FakeNodeRuntime '" + name_ + "': home() needs UseHome first");
  }
  return *home_;
}

}  // namespace cirque::home::testing
