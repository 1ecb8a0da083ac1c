#include "capabilities/xvnc/xvnc_capability.h"

#include "capabilities/xvnc/display_allocation.h"
#include "capabilities/xvnc/x_displays.h"
#include "cirque_test/util/error.h"

namespace cirque::capabilities {

XvncCapability::XvncCapability(std::string node, XvncSettings settings, XvncOptions options)
    : node_(std::move(node)), settings_(settings), options_(std::move(options)) {}

void XvncCapability::Prepare(home::HomeContext& home) {
  XDisplays& displays = HomeXDisplays(home);
  std::string image = home.ResolveImage(options_.image);
  display_ = &displays.Add(node_, XDisplay::Start(home, node_, image, settings_));
}

void XvncCapability::Configure(docker::ContainerSpec& container) {
  XDisplay& shown = display();
  container.storage.volumes_from.push_back(shown.helper_id());
  container.process.env.push_back("DISPLAY=" + shown.node_display());
}

void XvncCapability::Adopt(home::NodeRuntime& node) {
  display_ = &HomeXDisplays(node.home()).Add(node_, XDisplay::Recover(node.home(), node_));
}

XDisplay& XvncCapability::display() const {
  if (display_ == nullptr) {
    throw Error(ErrorCode::kFailedPrecondition, "node '" + node_ + "': its X display is used before Prepare");
  }
  return *display_;
}

std::map<std::string, std::string> XvncCapability::Describe() const {
  if (display_ == nullptr) return {{"display", ":" + std::to_string(settings_.docker_display_id)}};
  return {{"display", display_->node_display()},
          {"display_number", std::to_string(display_->number())},
          {"vnc_address", display_->vnc_host_ip() + ":" + std::to_string(display_->vnc_port())},
          {"helper", DisplayHelperName(display_->number())}};
}

}  // namespace cirque::capabilities
