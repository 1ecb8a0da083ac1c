// The home's home-scoped resources (home_context.h): made once per key by
// whichever node asks first, closed in reverse order when the home goes.
#include "cirque_test/home/home.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

HomeResource& VirtualHome::FindOrMakeResource(const std::string& key,
                                              const std::function<std::unique_ptr<HomeResource>()>& make) {
  std::unique_lock<std::mutex> lock(resource_mutex_);
  for (;;) {
    if (resources_closed_) CheckNotDestroyed();
    for (auto& [existing, resource] : resources_) {
      if (existing == key) return *resource;
    }
    if (resources_in_making_.insert(key).second) break;
    resource_made_.wait(lock);  // another node is making it
  }
  lock.unlock();
  std::unique_ptr<HomeResource> made;
  std::exception_ptr failure;
  try {
    Timeline::Scope step(timeline_, "resource " + key);
    made = make();
    if (!made) throw Error(ErrorCode::kInternal, "home '" + options_.name + "': resource '" + key + "' was not made");
  } catch (...) {
    failure = std::current_exception();
  }
  lock.lock();
  resources_in_making_.erase(key);
  resource_made_.notify_all();
  if (failure) std::rethrow_exception(failure);
  if (resources_closed_) {
    // Destroyed meanwhile: this resource goes at once.
    lock.unlock();
    made->Close();
    CheckNotDestroyed();
  }
  resources_.emplace_back(key, std::move(made));
  return *resources_.back().second;
}

std::map<std::string, std::string> VirtualHome::ResourceArtifacts() {
  std::map<std::string, std::string> artifacts;
  // Held throughout, so no resource is closed while it is read.
  std::lock_guard<std::mutex> lock(resource_mutex_);
  for (auto& [key, resource] : resources_) {
    try {
      for (auto& [name, content] : resource->Artifacts()) artifacts[name] = std::move(content);
    } catch (const std::exception&) {
      // Artifacts never throws; a resource that does has nothing to give.
    }
  }
  return artifacts;
}

void VirtualHome::Release() {
  std::lock_guard<std::mutex> changing(change_mutex_);
  if (destroyed_.exchange(true)) return;
  std::vector<std::pair<std::string, std::unique_ptr<HomeResource>>> releasing;
  {
    std::unique_lock<std::mutex> lock(resource_mutex_);
    resources_closed_ = true;
    releasing.swap(resources_);
  }
  for (auto& [key, resource] : releasing) resource->Release();
  std::lock_guard<std::mutex> lock(helpers_mutex_);
  if (agent_) agent_->Release();
  agent_.reset();
  host_rules_.reset();
}

std::vector<std::string> VirtualHome::CloseResources() {
  std::vector<std::pair<std::string, std::unique_ptr<HomeResource>>> closing;
  {
    std::unique_lock<std::mutex> lock(resource_mutex_);
    resources_closed_ = true;
    // A resource still being made is closed by its maker (above).
    closing.swap(resources_);
  }
  std::vector<std::string> problems;
  for (auto it = closing.rbegin(); it != closing.rend(); ++it) {
    try {
      for (auto& problem : it->second->Close()) problems.push_back(it->first + ": " + problem);
    } catch (const std::exception& error) {
      problems.push_back(it->first + ": " + error.what());
    }
    it->second.reset();
  }
  return problems;
}

}  // namespace cirque::home
