// A Thread node's settings. Cirque's own node-spec keys are kept:
// `thread_petition` (which Thread medium of the home the node is on),
// `rcp_mode` (an RCP radio with a host stack on the node, or an NCP) and
// `thread_daemon` (which host stack runs on the device); cirque adds
// `thread` ({"device", "time_speed"}).
//
//   NodeSpec::Named("leader").Image("thread").With(ThreadSettings{})
//   NodeSpec::Named("far").Image("thread").With(ThreadSettings{.petition = 1})
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_SETTINGS_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_SETTINGS_H_

#include <string>

#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kThread = "Thread";
inline constexpr const char* kThreadPetitionKey = "thread_petition";
inline constexpr const char* kRcpModeKey = "rcp_mode";
inline constexpr const char* kThreadDaemonKey = "thread_daemon";
inline constexpr const char* kThreadKey = "thread";

// The highest petition: each takes 34 UDP ports above 9000.
inline constexpr int kMaxThreadPetition = 1000;
inline constexpr int kMaxThreadTimeSpeed = 100;

struct ThreadSettings {
  // Nodes of one petition hear each other; nodes of different petitions of
  // the same home do not, nor do nodes of other homes. 0..kMaxThreadPetition.
  int petition = 0;
  // true: the device is a radio co-processor (ot-rcp) and a host stack
  // drives it; false: a network co-processor (ot-ncp-ftd) that runs the
  // Thread stack itself.
  bool rcp_mode = true;
  // The host stack on the device: "ot-daemon" (in the node's image; the
  // `thread` image has it, and ot-ctl), "otbr-agent" (the node's image's
  // own), or "none" (the node's own software opens the device). Default:
  // "ot-daemon" for an RCP, "none" for an NCP.
  std::string daemon;
  // Where the device appears in the node: an absolute path under /dev.
  std::string device = "/dev/ttyUSB0";
  // How much faster than real time the node's OpenThread clocks run,
  // 1..kMaxThreadTimeSpeed; the same for every Thread node of the home.
  int time_speed = 1;

  // `daemon`, or its default for the mode.
  std::string HostStack() const;
};

// Sets the node's Thread keys and lists Thread on it.
void ApplyTo(home::NodeSpec& node, const ThreadSettings& settings);
// The node's settings (defaults when unset). Throws Error
// (kInvalidArgument) naming the field, the value and what is allowed.
ThreadSettings ThreadSettingsOf(const home::NodeSpec& node);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_SETTINGS_H_
