#include "cirque_test/home/testing/fake_home_context.h"

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home::testing {

FakeHomeContext::FakeHomeContext(docker::DockerClient& client, std::string id, std::string name)
    : client_(client), id_(std::move(id)), name_(std::move(name)) {}

FakeHomeContext::~FakeHomeContext() {
  // Newest first, as VirtualHome closes its resources.
  std::lock_guard<std::mutex> lock(resource_mutex_);
  while (!resources_.empty()) {
    try {
      resources_.back().second->Close();
    } catch (const std::exception&) {
      // A test that cares checks what the resource left behind.
    }
    resources_.pop_back();
  }
}

void FakeHomeContext::MarkUnmet(const std::string& requirement_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  unmet_.insert(requirement_name);
}

std::vector<std::pair<std::string, std::string>> FakeHomeContext::Required() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return required_;
}

std::vector<std::string> FakeHomeContext::ResourceKeys() const {
  std::lock_guard<std::mutex> lock(resource_mutex_);
  std::vector<std::string> keys;
  for (const auto& [key, resource] : resources_) keys.push_back(key);
  return keys;
}

docker::Labels FakeHomeContext::ResourceLabels(const std::string& role) const {
  docker::Labels labels = HomeLabels(id_);
  labels[kRoleLabel] = role;
  return labels;
}

std::string FakeHomeContext::ResourceName(const std::string& role) const { return "cirque-" + id_ + "." + role; }

void FakeHomeContext::Require(const std::string& who, const std::vector<Requirement>& requirements) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> missing;
  for (const auto& requirement : requirements) {
    required_.emplace_back(who, requirement.name);
    if (unmet_.count(requirement.name) != 0) missing.push_back(requirement.name);
  }
  if (!missing.empty()) {
    throw UnmetRequirementError(who + " needs " + missing.front() + " (marked unmet by the test)", missing);
  }
}

HomeResource& FakeHomeContext::FindOrMakeResource(const std::string& key,
                                                  const std::function<std::unique_ptr<HomeResource>()>& make) {
  std::lock_guard<std::mutex> lock(resource_mutex_);
  for (auto& [existing, resource] : resources_) {
    if (existing == key) return *resource;
  }
  std::unique_ptr<HomeResource> made = make();
  if (!made) throw Error(ErrorCode::kInternal, "fake home: resource '" + key + "' was not made");
  resources_.emplace_back(key, std::move(made));
  return *resources_.back().second;
}

}  // namespace cirque::home::testing
