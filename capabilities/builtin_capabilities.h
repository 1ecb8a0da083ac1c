// The capabilities cirque ships, registered under the names Cirque's node
// specs use. Users add their own to a registry of their own or to this one.
#ifndef CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_
#define CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_

#include "cirque_test/home/capability_registry.h"

namespace cirque::capabilities {

// Interactive, LanAccess, Mount, TrafficControl, Weave, WiFi.
void RegisterBuiltinCapabilities(home::CapabilityRegistry& registry);

// A process-wide registry holding the built-in capabilities.
home::CapabilityRegistry& BuiltinCapabilities();

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_
