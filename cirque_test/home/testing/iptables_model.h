// An in-memory stand-in for iptables on the engine's host, for unit tests of
// what puts rules there (home::HostRules and the capabilities above it): it
// keeps one chain, the mangle table's FORWARD chain, which is the only one
// HostRules writes, and answers the commands HostRules and the reaper send:
//
//   <iptables> [-w] [-t mangle] -I FORWARD [POS] RULE...   insert (1 = top)
//   <iptables> [-w] [-t mangle] -A FORWARD RULE...         append
//   <iptables> [-w] [-t mangle] -D FORWARD RULE...|NUM     delete the first match
//   <iptables> [-w] [-t mangle] -S [FORWARD]               list, as iptables -S
//
// RULE understands what cirque's rules use: [!] -s CIDR, [!] -d CIDR,
// -m comment --comment TEXT, -j TARGET. Anything else (another table, chain
// or option) is refused with a non-zero exit and a message, so a test sees at
// once when code starts to rely on what the model does not model.
//
// Like iptables, it decides nothing about order: a rule goes exactly where
// the command puts it, and FirstMatch walks the chain from the top, so a test
// can ask which rule a packet hits first.
//
// Thread safety: every method may be called from several threads; each
// command is applied atomically, as iptables -w applies it.
#ifndef CIRQUE_TEST_HOME_TESTING_IPTABLES_MODEL_H_
#define CIRQUE_TEST_HOME_TESTING_IPTABLES_MODEL_H_

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/home/host_rules.h"

namespace cirque::home::testing {

// One rule of the chain, in the model's terms.
struct ModelRule {
  std::string source;       // "10.200.7.0/24"; "" matches any
  bool source_negated = false;
  std::string destination;  // "192.168.0.0/16"; "" matches any
  bool destination_negated = false;
  std::string comment;
  std::string target;       // "ACCEPT", "DROP", ...

  // As `iptables -S` prints it: "-A FORWARD -s 10.200.7.3/32 ... -j ACCEPT".
  std::string ToListing() const;
  friend bool operator==(const ModelRule&, const ModelRule&) = default;
};

class IptablesModel {
 public:
  // Runs one command (argv[0] is the binary's name and is ignored). Exit
  // code 0 on success; 1 or 2 with iptables-like text on stderr otherwise.
  docker::ExecResult Run(const std::vector<std::string>& argv);
  // Run, as the exec function HostRules takes. The model must outlive it.
  HostExecFunction AsExec();

  // The chain, top first.
  std::vector<ModelRule> Rules() const;
  // What `iptables -S FORWARD` would print.
  std::string Listing() const;
  // The first rule a packet from `source` to `destination` (plain IPv4
  // addresses) matches, or nothing when it falls through to the policy.
  std::optional<ModelRule> FirstMatch(const std::string& source, const std::string& destination) const;
  // Every command applied so far (failed ones are not), in order.
  std::vector<std::vector<std::string>> Applied() const;

 private:
  mutable std::mutex mutex_;
  std::vector<ModelRule> chain_;                  // GUARDED_BY(mutex_)
  std::vector<std::vector<std::string>> applied_;  // GUARDED_BY(mutex_)
};

// True when IPv4 address `address` lies in `cidr` ("a.b.c.d/n" or a bare
// address, taken as /32). False for text that is no IPv4 address or CIDR.
bool InCidr(const std::string& address, const std::string& cidr);

}  // namespace cirque::home::testing

#endif  // CIRQUE_TEST_HOME_TESTING_IPTABLES_MODEL_H_
