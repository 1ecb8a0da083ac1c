// Makes capabilities by name, so users can add their own: register a
// factory under a name, and node specs may list that name.
//
// Thread safety: Register and Create may be called concurrently.
#ifndef CIRQUE_TEST_HOME_CAPABILITY_REGISTRY_H_
#define CIRQUE_TEST_HOME_CAPABILITY_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/home/capability.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::home {

class CapabilityRegistry {
 public:
  // Makes the capability for one node, from that node's spec.
  using Factory = std::function<std::unique_ptr<Capability>(const NodeSpec&)>;

  // Adds or replaces the factory for `name`.
  void Register(const std::string& name, Factory factory);

  // Throws Error (kInvalidArgument) naming the node, the capability and the
  // registered names when `name` is unknown.
  std::unique_ptr<Capability> Create(const std::string& name, const NodeSpec& node) const;

  bool Has(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Factory> factories_;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_CAPABILITY_REGISTRY_H_
