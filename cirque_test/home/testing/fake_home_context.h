// A home as a capability sees it (home::HomeContext) without a VirtualHome:
// an id, labels and names as a real home makes them, a client (normally a
// docker::testing::FakeDockerClient), and home-scoped resources kept in a
// map and destroyed with the context, newest first, as a home destroys
// them. Requirements are recorded, and met unless the test says otherwise.
//
// Thread safety: every method may be called from several threads. A
// resource's factory runs once per key, under the context's resource lock:
// it must not ask this context for another resource.
#ifndef CIRQUE_TEST_HOME_TESTING_FAKE_HOME_CONTEXT_H_
#define CIRQUE_TEST_HOME_TESTING_FAKE_HOME_CONTEXT_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cirque_test/home/home_context.h"

namespace cirque::home::testing {

class FakeHomeContext : public HomeContext {
 public:
  FakeHomeContext(docker::DockerClient& client, std::string id = "fakehome0001", std::string name = "fake-home");
  ~FakeHomeContext() override;

  // Require throws UnmetRequirementError for a requirement of this name.
  void MarkUnmet(const std::string& requirement_name);
  // Every (who, requirement name) Require was asked about.
  std::vector<std::pair<std::string, std::string>> Required() const;
  // The keys of the resources made so far, in order.
  std::vector<std::string> ResourceKeys() const;

  const std::string& id() const override { return id_; }
  const std::string& name() const override { return name_; }
  docker::DockerClient& client() override { return client_; }
  std::string ResolveImage(const std::string& image) override { return image; }
  docker::Labels ResourceLabels(const std::string& role) const override;
  std::string ResourceName(const std::string& role) const override;
  Timeline& timeline() override { return timeline_; }
  void Require(const std::string& who, const std::vector<Requirement>& requirements) override;

 protected:
  HomeResource& FindOrMakeResource(const std::string& key,
                                   const std::function<std::unique_ptr<HomeResource>()>& make) override;

 private:
  docker::DockerClient& client_;
  const std::string id_;
  const std::string name_;
  Timeline timeline_;
  mutable std::mutex mutex_;
  std::set<std::string> unmet_;                                  // GUARDED_BY(mutex_)
  std::vector<std::pair<std::string, std::string>> required_;    // GUARDED_BY(mutex_)
  mutable std::mutex resource_mutex_;
  std::vector<std::pair<std::string, std::unique_ptr<HomeResource>>> resources_;  // GUARDED_BY(resource_mutex_)
};

}  // namespace cirque::home::testing

#endif  // CIRQUE_TEST_HOME_TESTING_FAKE_HOME_CONTEXT_H_
