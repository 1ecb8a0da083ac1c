// The labels cirque puts on every Docker resource it makes, and who owns a
// resource: the host and process that made it. The reaper removes the
// resources of owners that died, and never touches anything unlabelled.
#ifndef CIRQUE_TEST_HOME_LABELS_H_
#define CIRQUE_TEST_HOME_LABELS_H_

#include <optional>
#include <string>

#include "cirque_test/docker/container_spec.h"

namespace cirque::home {

inline constexpr const char* kHomeLabel = "cirque.home";    // home id
inline constexpr const char* kRunLabel = "cirque.run";      // process run id
inline constexpr const char* kOwnerLabel = "cirque.owner";  // OwnerIdentity
inline constexpr const char* kNodeLabel = "cirque.node";    // node name
inline constexpr const char* kRoleLabel = "cirque.role";    // node, network, agent
// On a node's container: the node's spec (NodeSpecToJson) and its home's
// name, so a later process can adopt the home (VirtualHome::Adopt).
inline constexpr const char* kSpecLabel = "cirque.spec";
inline constexpr const char* kHomeNameLabel = "cirque.home.name";

// A process on a host: "host:pid:start", where start is the process's start
// time in clock ticks since boot, so a reused pid is not mistaken for it.
struct OwnerIdentity {
  std::string host;
  int pid = 0;
  unsigned long long start_time = 0;

  std::string ToString() const;
  // Returns nothing for text not made by ToString.
  static std::optional<OwnerIdentity> Parse(const std::string& text);
};

// This process.
const OwnerIdentity& CurrentOwner();

// What this process writes as the owner of what it makes (cirque.owner and
// host rules' comments): CurrentOwner().ToString(), unless the process
// declared a longer-lived owner with SetProcessOwner.
const std::string& CurrentOwnerText();
// Makes `owner_text` (a ServiceOwner's, service_owner.h) the owner of
// everything this process makes from now on. Call once, before any home
// is made. Not thread safe against homes being made meanwhile.
void SetProcessOwner(const std::string& owner_text);

// False only when `owner` is on this host and that process is gone (or its
// pid now belongs to a process that started at another time). Owners on
// other hosts are assumed alive: we cannot see their processes.
bool OwnerIsAlive(const OwnerIdentity& owner);

// True only for text made by OwnerIdentity::ToString whose owner is on this
// host and gone: what the reaper may clean up after. Junk and owners on
// other hosts are never gone.
bool OwnerIsGone(const std::string& owner_text);

// A random id for this process's run, made once: 12 hex digits.
const std::string& CurrentRunId();

// A fresh random id: 12 hex digits.
std::string NewId();

// Whether `home_id` is a one-off helper's (an engine probe's, a client's
// exec killer's, a reaper's agent's) rather than a home's: no rules, never
// adopted.
bool IsHelperHomeId(const std::string& home_id);

// The value of label `key`, or "".
std::string LabelValue(const docker::Labels& labels, const char* key);

// {cirque.home, cirque.run, cirque.owner} for a resource of home `home_id`.
docker::Labels HomeLabels(const std::string& home_id);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_LABELS_H_
