// iptables rules a home puts on the engine's host (in the mangle table's
// FORWARD chain, which Docker never rearranges), each carrying a comment
// that names the home and its owner ("cirque home=<id> owner=<owner>"), so
// the home removes exactly its own, and the reaper those of dead runs.
//
// Thread safety: Insert and RemoveAll may be called concurrently.
#ifndef CIRQUE_TEST_HOME_HOST_RULES_H_
#define CIRQUE_TEST_HOME_HOST_RULES_H_

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cirque_test/docker/exec_spec.h"

namespace cirque::home {

using HostExecFunction = std::function<docker::ExecResult(const std::vector<std::string>&)>;

// The comment on every rule of home `home_id`.
std::string HostRuleComment(const std::string& home_id, const std::string& owner);

// From `iptables -S CHAIN` output, the delete commands (as argv, without the
// iptables binary) for every rule whose comment names `home_id`.
std::vector<std::vector<std::string>> DeleteCommandsForHome(const std::string& rules,
                                                            const std::string& home_id);

// Removes every rule of `home_id`. Returns how many.
// Throws Error naming the failing command and its output.
int RemoveHomeRules(const HostExecFunction& exec, const std::string& iptables,
                    const std::string& home_id);

// Whether the owner named in a rule's comment is gone (see OwnerIsGone).
using OwnerIsGoneFunction = std::function<bool(const std::string& owner)>;

// From `iptables -S CHAIN` output, the homes whose rules name an owner for
// which `is_gone` is true: rules a dead run left with nothing else behind
// (no container or network labelled with its home), which only the rules'
// own comments can lead to.
std::set<std::string> HomesOfGoneOwners(const std::string& rules, const OwnerIsGoneFunction& is_gone);

// Removes every rule of every home in HomesOfGoneOwners. Returns how many.
// Throws Error as RemoveHomeRules does.
int RemoveRulesOfGoneOwners(const HostExecFunction& exec, const std::string& iptables,
                            const OwnerIsGoneFunction& is_gone);

class HostRules {
 public:
  HostRules(HostExecFunction exec, std::string iptables, std::string home_id, std::string owner);

  // Inserts `rule` (iptables arguments after the chain, e.g. {"-s",
  // "10.200.1.0/24", "-j", "DROP"}) at `position` (1 = top) of the chain,
  // with the home's comment. Throws Error with iptables' message.
  void Insert(int position, const std::vector<std::string>& rule);

  // Appends `rule` at the end of the chain, with the home's comment: for
  // fences that every accept inserted at the top must precede, whatever
  // order concurrent callers run in.
  void Append(const std::vector<std::string>& rule);

  // Deletes one rule inserted with the same `rule` arguments.
  void Delete(const std::vector<std::string>& rule);

  // Claims `key` for this home: true for the first caller only, for rules a
  // home needs once, whichever node asks first.
  bool ClaimOnce(const std::string& key);

  // Removes all of the home's rules. Returns how many.
  int RemoveAll();

 private:
  HostExecFunction exec_;
  std::string iptables_;
  std::string home_id_;
  std::string comment_;
  std::mutex mutex_;
  std::set<std::string> done_keys_;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_HOST_RULES_H_
