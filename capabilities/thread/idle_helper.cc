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

std::map<std::string, std::string> RadioSysctls() {
  return {{"net.ipv6.conf.all.disable_ipv6", "0"},
          {"net.ipv6.conf.default.disable_ipv6", "0"},
          {"net.ipv6.conf.all.accept_dad", "0"},
          {"net.ipv6.conf.default.accept_dad", "0"},
          {"net.ipv6.conf.eth0.accept_dad", "0"}};
}

}  // namespace cirque::capabilities
