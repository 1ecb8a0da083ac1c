// Interactive: the node's main process gets a terminal and an open stdin,
// as `docker run -it` gives, for tools that need one.
#ifndef CIRQUE_CAPABILITIES_INTERACTIVE_H_
#define CIRQUE_CAPABILITIES_INTERACTIVE_H_

#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

class Interactive : public home::Capability {
 public:
  std::string name() const override { return "Interactive"; }
  void Configure(docker::ContainerSpec& container) override;
  std::map<std::string, std::string> Describe() const override;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_INTERACTIVE_H_
