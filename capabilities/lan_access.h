// LanAccess: lets a node reach the LAN of the engine's host.
//
// A home with a LanAccess node is fenced off from private address ranges
// (10/8, 172.16/12, 192.168/16) beyond its own subnet; each LanAccess node
// is let through. The rules live on the engine's host (home::HostRules),
// carry the home's comment, and go when the node or the home goes (or, for
// a run that died, when the reaper comes).
#ifndef CIRQUE_CAPABILITIES_LAN_ACCESS_H_
#define CIRQUE_CAPABILITIES_LAN_ACCESS_H_

#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

class LanAccess : public home::Capability {
 public:
  std::string name() const override { return "LanAccess"; }
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;

 private:
  std::vector<std::string> AcceptRule() const;

  std::string address_;  // the node's address the rule lets through
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_LAN_ACCESS_H_
