// Removes what runs that died left behind: containers, networks and
// iptables rules whose cirque.owner names a process on this host that is
// gone. Their hwsim radios and other per-namespace kernel objects go with
// their containers. Never touches a resource without cirque's labels, nor
// one of a live run; never prunes.
//
// A dead home's iptables rules are removed through its host agent (started
// again when it was stopped, e.g. by an engine restart) or, when its agent
// is gone but the home left other resources, through one temporary agent
// made from `helper_image`. Rules whose home left nothing labelled at all
// (a run killed after its containers went, before its rules did) are found
// only by their comments: with `sweep_rules`, the temporary agent is made
// even when no labelled resource asks for it, and removes every rule whose
// owner is gone. A home sweeps them too, once, when it first puts a rule
// on the host (its own agent is there by then).
//
// Cheap when there is nothing to do and `sweep_rules` is false (two list
// calls), so a home runs it whenever it is created; `cirque reap` runs it
// on its own, sweeping.
//
// Reapers of several processes may run at once (every home creation runs
// one): what another has already removed is skipped, and a container
// another is removing ("removal ... already in progress") is waited for,
// up to 60 s, so that its networks can go after it; neither is listed in
// the report as removed by this call.
//
// Errors: what could not be removed is listed in the report; the list
// calls themselves throw Error when the engine does not answer.
#ifndef CIRQUE_TEST_HOME_REAPER_H_
#define CIRQUE_TEST_HOME_REAPER_H_

#include <set>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"

namespace cirque::home {

struct ReapReport {
  std::vector<std::string> containers;  // names removed
  std::vector<std::string> networks;    // names removed
  int host_rules = 0;                   // iptables rules removed
  std::vector<std::string> problems;    // what could not be removed, and why
};

// `helper_image` (iptables, iproute2) for a temporary agent; "" to leave
// rules of homes whose agent is gone. `is_gone` decides whose resources go
// (by their cirque.owner): by default, processes of this host that died;
// `cirque reap` adds services that no longer run (service_owner.h), and a
// service started with --reap names only itself.
ReapReport ReapDeadRuns(docker::DockerClient& client, const std::string& helper_image = "",
                        bool sweep_rules = false, const OwnerIsGoneFunction& is_gone = OwnerIsGone);

// The choice, without acting: the ids among `containers` and `networks`
// that belong to dead runs, and the dead homes (pure; tested alone).
struct ReapPlan {
  std::vector<docker::ContainerSummary> agents;  // dead homes' agents
  std::vector<docker::ContainerSummary> containers;  // every dead container, agents included
  std::vector<docker::NetworkInfo> networks;
  std::set<std::string> homes_without_agent;  // dead homes with no agent left
};
ReapPlan PlanReaping(const std::vector<docker::ContainerSummary>& containers,
                     const std::vector<docker::NetworkInfo>& networks,
                     const OwnerIsGoneFunction& is_gone = OwnerIsGone);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_REAPER_H_
