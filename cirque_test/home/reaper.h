// Removes what runs that died left behind: containers, networks and
// iptables rules whose cirque.owner names a process on this host that is
// gone. Their hwsim radios go with their containers (the kernel deletes a
// radio when its namespace goes). Never touches a resource without cirque's labels, nor one of a live
// run; never prunes.
//
// Cheap when there is nothing to do (two list calls), so a home runs it
// whenever it is created; `cirque reap` runs it on its own.
#ifndef CIRQUE_TEST_HOME_REAPER_H_
#define CIRQUE_TEST_HOME_REAPER_H_

#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

struct ReapReport {
  std::vector<std::string> containers;  // names removed
  std::vector<std::string> networks;    // names removed
  int host_rules = 0;                   // iptables rules removed
  std::vector<std::string> problems;    // what could not be removed, and why
};

ReapReport ReapDeadRuns(docker::DockerClient& client);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_REAPER_H_
