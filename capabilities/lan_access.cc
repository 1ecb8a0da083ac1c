#include "capabilities/lan_access.h"

namespace cirque::capabilities {
namespace {

constexpr const char* kPrivateRanges[] = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"};

}  // namespace

std::vector<std::string> LanAccess::AcceptRule() const {
  return {"-s", address_ + "/32", "-j", "ACCEPT"};
}

void LanAccess::Enable(home::NodeRuntime& node) {
  home::HostRules& rules = node.host_rules();
  const std::string subnet = node.subnet();
  if (rules.ClaimOnce("lan-fence")) {
    // Appended, in order: the home's own subnet first, then the fence.
    // Every node's accept is inserted at the top, so it precedes the fence
    // whichever of two nodes enabled at once runs first.
    rules.Append({"-s", subnet, "-d", subnet, "-j", "ACCEPT"});
    for (const char* range : kPrivateRanges) {
      rules.Append({"-s", subnet, "-d", range, "-j", "DROP"});
    }
  }
  address_ = node.ipv4_address();
  rules.Insert(1, AcceptRule());
}

void LanAccess::Disable(home::NodeRuntime& node) {
  if (address_.empty()) return;
  node.host_rules().Delete(AcceptRule());
  address_.clear();
}

std::map<std::string, std::string> LanAccess::Describe() const {
  return {{"lan_access", address_.empty() ? "off" : "on"}, {"address", address_}};
}

}  // namespace cirque::capabilities
