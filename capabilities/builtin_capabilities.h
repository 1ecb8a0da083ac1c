// The capabilities cirque ships, registered under the names Cirque's node
// specs use, with the JSON keys each reads. Users add their own to a
// registry of their own or to this one.
#ifndef CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_
#define CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_

#include "capabilities/thread/thread_capability.h"
#include "capabilities/wifi_radio_medium.h"
#include "capabilities/xvnc/xvnc_capability.h"
#include "cirque_test/home/capability_registry.h"

namespace cirque::capabilities {

struct BuiltinOptions {
  WifiRadioOptions wifi_radio;  // where WiFi nodes' radios come from
  ThreadOptions thread;         // where Thread nodes' radios come from
  XvncOptions xvnc;             // where Xvnc nodes' X servers come from
};

// Interactive, LanAccess, Mount, Thread, TrafficControl, Weave, WiFi, Xvnc.
void RegisterBuiltinCapabilities(home::CapabilityRegistry& registry, const BuiltinOptions& options = {});

// A process-wide registry holding the built-in capabilities with default
// options.
home::CapabilityRegistry& BuiltinCapabilities();

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_BUILTIN_CAPABILITIES_H_
