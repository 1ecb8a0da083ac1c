#include "cirque_test/home/host_rules.h"

#include <sstream>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::home {
namespace {

// The mangle table's FORWARD chain, not Docker's DOCKER-USER: each time the
// engine makes a network it deletes and re-inserts its jump rules in filter's
// FORWARD (DOCKER-USER, DOCKER-ISOLATION-STAGE-1), and packets forwarded in
// that instant skip them. Docker never touches mangle, and mangle's FORWARD
// sees every forwarded packet before filter's does.
constexpr const char* kTable = "mangle";
constexpr const char* kChain = "FORWARD";

// Splits one line of `iptables -S` into arguments, honouring double quotes.
std::vector<std::string> SplitRule(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, in_word = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

void CheckExec(const docker::ExecResult& result, const std::vector<std::string>& argv) {
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "engine host: '" + JoinArgv(argv) + "' exited " +
                                          std::to_string(result.exit_code) + ": " +
                                          LastLines(result.stderr_text + result.stdout_text, 3));
  }
}

}  // namespace

std::string HostRuleComment(const std::string& home_id, const std::string& owner) {
  return "cirque home=" + home_id + " owner=" + owner;
}

std::vector<std::vector<std::string>> DeleteCommandsForHome(const std::string& rules,
                                                            const std::string& home_id) {
  std::vector<std::vector<std::string>> commands;
  std::istringstream lines(rules);
  const std::string marker = "cirque home=" + home_id + " ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("-A ", 0) != 0 || line.find(marker) == std::string::npos) continue;
    std::vector<std::string> words = SplitRule(line);
    words[0] = "-D";
    commands.push_back(words);
  }
  return commands;
}

int RemoveHomeRules(const HostExecFunction& exec, const std::string& iptables,
                    const std::string& home_id) {
  std::vector<std::string> list = {iptables, "-w", "-t", kTable, "-S", kChain};
  docker::ExecResult listed = exec(list);
  CheckExec(listed, list);
  // Another process's reaper may be removing the same dead home's rules:
  // a delete that finds its rule gone is not a failure. What counts is
  // that none is left at the end.
  int removed = 0;
  std::string failures;
  for (auto command : DeleteCommandsForHome(listed.stdout_text, home_id)) {
    command.insert(command.begin(), {iptables, "-w", "-t", kTable});
    docker::ExecResult deleted = exec(command);
    if (deleted.exit_code == 0) {
      ++removed;
    } else {
      failures += "\n  '" + JoinArgv(command) + "' exited " + std::to_string(deleted.exit_code) + ": " +
                  LastLines(deleted.stderr_text + deleted.stdout_text, 2);
    }
  }
  if (failures.empty()) return removed;
  docker::ExecResult again = exec(list);
  CheckExec(again, list);
  size_t left = DeleteCommandsForHome(again.stdout_text, home_id).size();
  if (left > 0) {
    throw Error(ErrorCode::kInternal, "engine host: " + std::to_string(left) + " iptables rules of home " + home_id +
                                          " are left after:" + failures);
  }
  return removed;
}

std::set<std::string> HomesOfGoneOwners(const std::string& rules, const OwnerIsGoneFunction& is_gone) {
  std::set<std::string> homes;
  std::istringstream lines(rules);
  const std::string home_marker = "cirque home=", owner_marker = " owner=";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("-A ", 0) != 0) continue;
    size_t home_at = line.find(home_marker);
    if (home_at == std::string::npos) continue;
    home_at += home_marker.size();
    size_t owner_at = line.find(owner_marker, home_at);
    if (owner_at == std::string::npos) continue;
    std::string home = line.substr(home_at, owner_at - home_at);
    owner_at += owner_marker.size();
    size_t owner_end = line.find_first_of("\" ", owner_at);
    std::string owner = line.substr(owner_at, owner_end == std::string::npos ? std::string::npos : owner_end - owner_at);
    if (home.empty() || home.find(' ') != std::string::npos || owner.empty()) continue;
    if (is_gone(owner)) homes.insert(home);
  }
  return homes;
}

int RemoveRulesOfGoneOwners(const HostExecFunction& exec, const std::string& iptables,
                            const OwnerIsGoneFunction& is_gone) {
  std::vector<std::string> list = {iptables, "-w", "-t", kTable, "-S", kChain};
  docker::ExecResult listed = exec(list);
  CheckExec(listed, list);
  int removed = 0;
  for (const auto& home : HomesOfGoneOwners(listed.stdout_text, is_gone)) {
    removed += RemoveHomeRules(exec, iptables, home);
  }
  return removed;
}

HostRules::HostRules(HostExecFunction exec, std::string iptables, std::string home_id,
                     std::string owner)
    : exec_(std::move(exec)),
      iptables_(std::move(iptables)),
      home_id_(std::move(home_id)),
      comment_(HostRuleComment(home_id_, owner)) {}

void HostRules::Insert(int position, const std::vector<std::string>& rule) {
  std::vector<std::string> argv = {iptables_, "-w", "-t", kTable, "-I", kChain, std::to_string(position)};
  argv.insert(argv.end(), rule.begin(), rule.end());
  argv.insert(argv.end(), {"-m", "comment", "--comment", comment_});
  std::lock_guard<std::mutex> lock(mutex_);
  CheckExec(exec_(argv), argv);
}

void HostRules::Append(const std::vector<std::string>& rule) {
  std::vector<std::string> argv = {iptables_, "-w", "-t", kTable, "-A", kChain};
  argv.insert(argv.end(), rule.begin(), rule.end());
  argv.insert(argv.end(), {"-m", "comment", "--comment", comment_});
  std::lock_guard<std::mutex> lock(mutex_);
  CheckExec(exec_(argv), argv);
}

void HostRules::Delete(const std::vector<std::string>& rule) {
  std::vector<std::string> argv = {iptables_, "-w", "-t", kTable, "-D", kChain};
  argv.insert(argv.end(), rule.begin(), rule.end());
  argv.insert(argv.end(), {"-m", "comment", "--comment", comment_});
  std::lock_guard<std::mutex> lock(mutex_);
  CheckExec(exec_(argv), argv);
}

bool HostRules::ClaimOnce(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_keys_.insert(key).second;
}

int HostRules::RemoveAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  done_keys_.clear();
  return RemoveHomeRules(exec_, iptables_, home_id_);
}

}  // namespace cirque::home
