#include "capabilities/thread/idle_helper.h"

namespace cirque::capabilities {

docker::ContainerSpec IdleHelperSpec(home::HomeContext& home, const std::string& role, const std::string& name) {
  docker::ContainerSpec spec;
  spec.image = home.ResolveImage("generic");
  spec.name = home.ResourceName(name);
  spec.labels = home.ResourceLabels(role);
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.process.init = true;
  return spec;
}

}  // namespace cirque::capabilities
