// What a process left on the engine: the containers and networks whose
// cirque.owner names it (this host, that pid), and the host's iptables
// rules whose comment names it as owner. The fault tests count these
// before and after the reaper runs; the count after must be zero.
//
// Only resources labelled by cirque are listed; nothing is changed.
#ifndef CIRQUE_TESTS_FAULTS_LEFTOVERS_H_
#define CIRQUE_TESTS_FAULTS_LEFTOVERS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/host_agent.h"

namespace cirque::faults {

struct Leftovers {
  std::vector<std::string> containers;  // names
  std::vector<std::string> networks;    // names
  std::vector<std::string> rules;       // "iptables -S" lines
  size_t total() const { return containers.size() + networks.size() + rules.size(); }
  // "2 containers (a, b), 1 networks (n), 0 rules".
  std::string ToString() const;
};

// What process `pid` of this host owns. Rules are read through `reader`
// (an agent in the engine host's network namespace), or not at all when
// it is null. Throws Error when the engine does not answer.
Leftovers LeftoversOf(docker::DockerClient& client, pid_t pid, home::HostAgent* reader);

}  // namespace cirque::faults

#endif  // CIRQUE_TESTS_FAULTS_LEFTOVERS_H_
