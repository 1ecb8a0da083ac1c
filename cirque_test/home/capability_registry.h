// Makes capabilities by name, so users can add their own: register a
// definition under a name (its JSON keys and a factory), and node specs may
// list that name and carry those keys.
//
//   registry.Register({.name = "Zigbee",
//                      .json_keys = {"zigbee_channel"},
//                      .make = [](const NodeSpec& node) { return MakeZigbee(node); }});
//
// The factory parses and validates the node's settings under the
// capability's keys (NodeSpec::settings), throwing Error
// (kInvalidArgument) naming the node, the field, the value and the fix.
//
// Thread safety: Register, Create and the readers may be called
// concurrently.
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

struct CapabilityDefinition {
  using Factory = std::function<std::unique_ptr<Capability>(const NodeSpec&)>;

  std::string name;                    // REQUIRED: "TrafficControl"
  std::vector<std::string> json_keys;  // the node-spec keys it reads
  Factory make;                        // REQUIRED
};

class CapabilityRegistry {
 public:
  using Factory = CapabilityDefinition::Factory;

  // Adds or replaces the definition under its name. Throws Error
  // (kInvalidArgument) when a key is a core key or another capability's.
  void Register(CapabilityDefinition definition);
  // A capability with no settings of its own.
  void Register(const std::string& name, Factory factory);

  // Throws Error (kInvalidArgument) naming the node, the capability and the
  // registered names when `name` is unknown; otherwise what the factory throws.
  std::unique_ptr<Capability> Create(const std::string& name, const NodeSpec& node) const;
  // Checks a spec against the registry: the core checks, every settings
  // key known and its capability listed, every listed capability
  // registered and its settings valid (by making it).
  void Validate(const NodeSpec& node) const;

  bool Has(const std::string& name) const;
  std::vector<std::string> Names() const;
  // The capability that reads `json_key`, or "" for none.
  std::string OwnerOfKey(const std::string& json_key) const;
  // Every registered capability's keys, sorted.
  std::vector<std::string> JsonKeys() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, CapabilityDefinition> definitions_;  // GUARDED_BY(mutex_)
};

// The keys of Cirque's node JSON the core reads itself.
const std::vector<std::string>& CoreJsonKeys();

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_CAPABILITY_REGISTRY_H_
