// Xvnc: an X display for a node, viewable over VNC from the engine's host
// (Cirque's XVNC capability: "allows Docker containers to forward its GUI
// to a remote client"; Matter ran an Android emulator as a phone with it).
//
//   NodeSpec::Named("phone").Image("xvnc").With(XvncSettings{})
//
// Prepare starts the node's display (x_display.h: Xvnc in a helper
// container of the home, a display number no other home or process on the
// engine holds) and waits until it answers; Configure mounts its socket
// directory in the node and sets DISPLAY=:<docker_display_id>. The display
// goes with the home, after the node; a crashed run's is reaped with the
// rest of its labelled containers. X clients run in the node's image: the
// `xvnc` image has x11-utils (xmessage, xwininfo).
//
// Describe: display (the node's DISPLAY), display_number (on the engine's
// host), vnc_address ("127.0.0.1:5901", or "0.0.0.0:5901" for all
// addresses), helper (the helper container's name).
//
// Thread safety: as every capability (capability.h); display() may be used
// from a test while the node runs.
#ifndef CIRQUE_CAPABILITIES_XVNC_XVNC_CAPABILITY_H_
#define CIRQUE_CAPABILITIES_XVNC_XVNC_CAPABILITY_H_

#include <map>
#include <string>

#include "capabilities/xvnc/x_display.h"
#include "capabilities/xvnc/xvnc_settings.h"
#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

struct XvncOptions {
  // The image the display's Xvnc runs from (a catalogue name, through
  // HomeContext::ResolveImage). Default: "xvnc".
  std::string image = "xvnc";
};

class XvncCapability : public home::Capability {
 public:
  XvncCapability(std::string node, XvncSettings settings, XvncOptions options = {});

  std::string name() const override { return kXvnc; }
  void Prepare(home::HomeContext& home) override;
  void Configure(docker::ContainerSpec& container) override;
  void Adopt(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;

  const XvncSettings& settings() const { return settings_; }
  // The node's display. Throws Error (kFailedPrecondition) before Prepare.
  XDisplay& display() const;

 private:
  std::string node_;
  XvncSettings settings_;
  XvncOptions options_;
  XDisplay* display_ = nullptr;  // owned by the home's XDisplays
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_XVNC_CAPABILITY_H_
