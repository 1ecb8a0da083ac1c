// The container spec of a home's idle helper for Thread: one that only
// sleeps, labelled as the home's (the reaper finds it), into which work is
// exec'd (the capture's sniffer, a link's iptables). Pure.
#ifndef CIRQUE_CAPABILITIES_THREAD_IDLE_HELPER_H_
#define CIRQUE_CAPABILITIES_THREAD_IDLE_HELPER_H_

#include <map>
#include <string>

#include "cirque_test/docker/container_spec.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

// Named ResourceName(`name`), labelled with `role`, from the generic image.
docker::ContainerSpec IdleHelperSpec(home::HomeContext& home, const std::string& role, const std::string& name);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_IDLE_HELPER_H_
