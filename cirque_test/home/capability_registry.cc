#include "cirque_test/home/capability_registry.h"

#include "cirque_test/util/error.h"

namespace cirque::home {

void CapabilityRegistry::Register(const std::string& name, Factory factory) {
  std::lock_guard<std::mutex> lock(mutex_);
  factories_[name] = std::move(factory);
}

std::unique_ptr<Capability> CapabilityRegistry::Create(const std::string& name,
                                                       const NodeSpec& node) const {
  Factory factory;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = factories_.find(name);
    if (found != factories_.end()) factory = found->second;
  }
  if (!factory) {
    std::string known;
    for (const auto& registered : Names()) known += (known.empty() ? "" : ", ") + registered;
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + node.name + "': capability '" + name +
                    "' is not registered; registered: " + (known.empty() ? "(none)" : known));
  }
  return factory(node);
}

bool CapabilityRegistry::Has(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return factories_.count(name) != 0;
}

std::vector<std::string> CapabilityRegistry::Names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

}  // namespace cirque::home
