// What a cirque service does, as it starts, with the homes an earlier run
// of it left behind (after a crash, a SIGKILL, or --keep-homes): each is
// adopted into the registry (VirtualHome::Adopt) and served again under
// its old id, or, when asked to reap, removed with everything it had on
// the engine and the host.
//
// The earlier run's homes are those whose cirque.owner is `owner_text`: the
// service's lasting owner (service_owner.h), the same for every run that
// uses one state folder. A home that cannot be adopted (a node stopped
// meanwhile, say) is removed and named in the report: none is kept without
// being served.
//
// Errors: throws Error only when the engine cannot list resources; every
// other problem is in the report. Thread safety: call before serving.
#ifndef CIRQUE_SERVICE_EARLIER_HOMES_H_
#define CIRQUE_SERVICE_EARLIER_HOMES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home.h"
#include "service/home_registry.h"

namespace cirque::service {

struct EarlierHomesReport {
  std::vector<std::string> adopted;  // "<id> (<name>, <n> nodes, in <t> s)"
  std::vector<std::string> removed;  // "<id>": reaped, or not adoptable
  std::vector<std::string> problems;  // one line each
};

using HomeAdopter = std::function<std::unique_ptr<home::VirtualHome>(const std::string& home_id)>;

// The ids of the homes `owner_text` owns on the engine (not counting the
// probes' and helpers' one-off "homes").
std::vector<std::string> EarlierHomeIds(docker::DockerClient& client, const std::string& owner_text);

// Adopts them into `registry` with `adopt`, or, with `reap`, removes them
// (through a temporary agent from `helper_image` for their host rules).
EarlierHomesReport TakeOverEarlierHomes(docker::DockerClient& client, HomeRegistry& registry,
                                        const HomeAdopter& adopt, const std::string& owner_text, bool reap,
                                        const std::string& helper_image);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_EARLIER_HOMES_H_
