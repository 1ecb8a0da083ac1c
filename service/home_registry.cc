#include "service/home_registry.h"

#include <algorithm>

#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

std::string JoinOr(const std::vector<std::string>& items, const std::string& none) {
  if (items.empty()) return none;
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

HomeRegistry::HomeRegistry(const home::CapabilityRegistry& capabilities, HomeMaker make_home, SpecCheck check)
    : capabilities_(capabilities), make_home_(std::move(make_home)), check_(std::move(check)) {}

std::string HomeRegistry::CreateFromJson(std::string_view spec_json) {
  return Create(home::ParseHomeSpecJson(spec_json, capabilities_));
}

std::string HomeRegistry::Create(const std::vector<home::NodeSpec>& nodes) {
  if (check_) check_(nodes);
  std::string name;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    name = "home-" + std::to_string(++made_);
  }
  std::shared_ptr<home::VirtualHome> home = make_home_(name, nodes);
  std::string id = home->id();
  std::lock_guard<std::mutex> lock(mutex_);
  homes_.emplace_back(id, std::move(home));
  return id;
}

void HomeRegistry::Add(std::shared_ptr<home::VirtualHome> home) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [known, registered] : homes_) {
    if (known == home->id()) throw Error(ErrorCode::kConflict, "home '" + known + "' is registered already");
  }
  // "home-<n>": the next home made here is named after it.
  const std::string& name = home->name();
  if (name.rfind("home-", 0) == 0) {
    try {
      made_ = std::max(made_, std::stoi(name.substr(5)));
    } catch (const std::exception&) {
      // Another name: nothing to keep clear of.
    }
  }
  homes_.emplace_back(home->id(), std::move(home));
}

std::shared_ptr<home::Node> HomeRegistry::AddNode(const std::string& id, const home::NodeSpec& spec) {
  std::shared_ptr<home::VirtualHome> home = Find(id);
  if (check_) check_({spec});
  home->AddNode(spec);
  return home->SharedNode(spec.name);
}

std::vector<std::string> HomeRegistry::Ids() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, home] : homes_) ids.push_back(id);
  return ids;
}

std::shared_ptr<home::VirtualHome> HomeRegistry::Find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [known, home] : homes_) {
    if (known == id) return home;
  }
  std::vector<std::string> ids;
  for (const auto& [known, home] : homes_) ids.push_back(known);
  throw Error(ErrorCode::kNotFound, "no home '" + id + "'; homes: " + JoinOr(ids, "none"));
}

void HomeRegistry::Destroy(const std::string& id) {
  std::shared_ptr<home::VirtualHome> home = Find(id);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(homes_.begin(), homes_.end(), [&id](const auto& entry) { return entry.first == id; });
    if (found == homes_.end()) {
      throw Error(ErrorCode::kNotFound, "home '" + id + "' is being destroyed by another request");
    }
    homes_.erase(found);
  }
  home->Destroy();
}

std::vector<std::string> HomeRegistry::DestroyAll() {
  std::vector<std::pair<std::string, std::shared_ptr<home::VirtualHome>>> homes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    homes.swap(homes_);
  }
  std::vector<std::string> problems;
  for (auto& [id, home] : homes) {
    try {
      home->Destroy();
    } catch (const std::exception& error) {
      problems.push_back("home '" + id + "': " + error.what());
    }
  }
  return problems;
}

std::vector<std::string> HomeRegistry::ReleaseAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, home] : homes_) {
    ids.push_back(id);
    home->Release();
  }
  homes_.clear();
  return ids;
}

std::shared_ptr<home::Node> FindDevice(home::VirtualHome& home, const std::string& device) {
  std::vector<std::string> names = home.NodeNames();
  if (std::find(names.begin(), names.end(), device) != names.end()) return home.SharedNode(device);
  if (device.size() >= 12) {
    for (const auto& name : names) {
      std::shared_ptr<home::Node> node = home.SharedNode(name);
      std::string id;
      try {
        id = node->container_id();
      } catch (const Error&) {
        continue;  // removed meanwhile
      }
      if (id.rfind(device, 0) == 0) return node;
    }
  }
  throw Error(ErrorCode::kNotFound, "home '" + home.id() + "' has no device '" + device +
                                        "' (a node name, or its container id or 12-character prefix); nodes: " +
                                        JoinOr(names, "none"));
}

}  // namespace cirque::service
