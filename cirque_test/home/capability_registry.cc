#include "cirque_test/home/capability_registry.h"

#include <algorithm>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const auto& word : words) joined += (joined.empty() ? "" : ", ") + word;
  return joined.empty() ? "(none)" : joined;
}

}  // namespace

const std::vector<std::string>& CoreJsonKeys() {
  static const auto* keys = new std::vector<std::string>{
      "type", "base_image", "capability", "docker_network", "command", "env"};
  return *keys;
}

void CapabilityRegistry::Register(CapabilityDefinition definition) {
  if (definition.name.empty() || !definition.make) {
    throw Error(ErrorCode::kInvalidArgument,
                "capability definition '" + definition.name + "' needs a name and a factory");
  }
  const auto& core = CoreJsonKeys();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& key : definition.json_keys) {
    if (std::find(core.begin(), core.end(), key) != core.end()) {
      throw Error(ErrorCode::kInvalidArgument, "capability '" + definition.name + "': key '" + key +
                                                   "' is a core node-spec key; choose another");
    }
    for (const auto& [name, other] : definitions_) {
      if (name == definition.name) continue;
      if (std::find(other.json_keys.begin(), other.json_keys.end(), key) != other.json_keys.end()) {
        throw Error(ErrorCode::kInvalidArgument, "capability '" + definition.name + "': key '" + key +
                                                     "' is already capability '" + name + "''s");
      }
    }
  }
  std::string name = definition.name;
  definitions_[name] = std::move(definition);
}

void CapabilityRegistry::Register(const std::string& name, Factory factory) {
  Register(CapabilityDefinition{.name = name, .json_keys = {}, .make = std::move(factory)});
}

std::unique_ptr<Capability> CapabilityRegistry::Create(const std::string& name,
                                                       const NodeSpec& node) const {
  Factory factory;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = definitions_.find(name);
    if (found != definitions_.end()) factory = found->second.make;
  }
  if (!factory) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': capability '" + name +
                                                 "' is not registered; registered: " + Join(Names()));
  }
  std::unique_ptr<Capability> made = factory(node);
  if (!made) {
    throw Error(ErrorCode::kInternal, "node '" + node.name + "': capability '" + name +
                                          "''s factory made nothing");
  }
  return made;
}

void CapabilityRegistry::Validate(const NodeSpec& node) const {
  ValidateNodeSpec(node);
  for (const auto& [key, value] : node.settings) {
    std::string owner = OwnerOfKey(key);
    if (owner.empty()) {
      std::vector<std::string> allowed = CoreJsonKeys();
      for (const auto& known : JsonKeys()) allowed.push_back(known);
      throw Error(ErrorCode::kInvalidArgument,
                  "node '" + node.name + "': unknown key '" + key + "' (value " +
                      (value.size() > 60 ? value.substr(0, 57) + "..." : value) +
                      "); allowed keys: " + Join(allowed));
    }
    if (!node.HasCapability(owner)) {
      throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': " + key +
                                                   " is set but needs capability " + owner +
                                                   " on the node; add it to the node's capabilities");
    }
  }
  for (const auto& name : node.capabilities) Create(name, node);
}

bool CapabilityRegistry::Has(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return definitions_.count(name) != 0;
}

std::vector<std::string> CapabilityRegistry::Names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, definition] : definitions_) names.push_back(name);
  return names;
}

std::string CapabilityRegistry::OwnerOfKey(const std::string& json_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, definition] : definitions_) {
    const auto& keys = definition.json_keys;
    if (std::find(keys.begin(), keys.end(), json_key) != keys.end()) return name;
  }
  return "";
}

std::vector<std::string> CapabilityRegistry::JsonKeys() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [name, definition] : definitions_) {
    keys.insert(keys.end(), definition.json_keys.begin(), definition.json_keys.end());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace cirque::home
