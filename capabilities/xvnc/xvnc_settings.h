// The Xvnc capability's settings: Cirque's node-spec keys `xvnc_localhost`,
// `display_id` and `docker_display_id`, read and written with errors that
// name the node, the key, the value and what is allowed.
//
//   NodeSpec::Named("phone").With(XvncSettings{.localhost = false})
#ifndef CIRQUE_CAPABILITIES_XVNC_XVNC_SETTINGS_H_
#define CIRQUE_CAPABILITIES_XVNC_XVNC_SETTINGS_H_

#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kXvnc = "Xvnc";
inline constexpr const char* kXvncLocalhostKey = "xvnc_localhost";
inline constexpr const char* kDisplayIdKey = "display_id";
inline constexpr const char* kDockerDisplayIdKey = "docker_display_id";

// The VNC port of display N on the engine's host is kVncPortBase + N.
inline constexpr int kVncPortBase = 5900;
// Display numbers the capability hands out or accepts: 1..kMaxDisplayId
// (display 0 is usually the host's own X server; 5900 + 4095 stays far
// below the engine's ephemeral port range).
inline constexpr int kMaxDisplayId = 4095;
// The node's display number (its socket /tmp/.X11-unix/X<n>): 0..99.
inline constexpr int kMaxDockerDisplayId = 99;

struct XvncSettings {
  // Publish the VNC port on the engine host's 127.0.0.1 only; false
  // publishes it on all its addresses. Default: true (as Cirque).
  bool localhost = true;
  // The display number on the engine's host (VNC port 5900 + it); 0 picks
  // a free one. Default: 0.
  int display_id = 0;
  // The display number the node sees: DISPLAY=:<it>. Default: 0.
  int docker_display_id = 0;
};

// Lists Xvnc on the node and writes its three keys.
void ApplyTo(home::NodeSpec& node, const XvncSettings& settings);
// The node's settings (defaults for unset keys). Throws Error
// (kInvalidArgument) naming the node, the key, the value and the range.
XvncSettings XvncSettingsOf(const home::NodeSpec& node);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_XVNC_SETTINGS_H_
