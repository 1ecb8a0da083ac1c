// What a capability may use of the home its node belongs to: the engine,
// the home's identity and labels, image names, and home-scoped resources.
//
// A home-scoped resource is something one capability owns per home rather
// than per node (a radio medium, a Thread network, an X server): made on
// first use by whichever node asks first, shared by the home's nodes, and
// destroyed by the home after its nodes, in the reverse order of creation.
// Whatever a resource makes on the engine must carry ResourceLabels, so the
// reaper removes it when the run that made it dies.
//
//   auto& medium = node.home().Resource<RadioMedium>("wifi.medium", [&] {
//     return std::make_unique<RadioMedium>(node.home(), ...);
//   });
//
// Thread safety: every method may be called from several threads; a
// resource's factory runs once per key, and other callers wait for it.
#ifndef CIRQUE_TEST_HOME_HOME_CONTEXT_H_
#define CIRQUE_TEST_HOME_HOME_CONTEXT_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/requirement.h"
#include "cirque_test/home/timeline.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

// A home-scoped resource. Its destructor undoes what it made and must not
// throw; Close reports what it could not undo (called before destruction).
class HomeResource {
 public:
  virtual ~HomeResource() = default;
  // Best effort; returns what failed. Default: nothing to report.
  virtual std::vector<std::string> Close() { return {}; }
  // The home is left running (VirtualHome::Release): forget what was made
  // without undoing it, so the destructor leaves it. A resource whose
  // destructor removes something must implement it. Never throws.
  virtual void Release() {}
  // Files worth keeping when a test fails (a radio capture): file name ->
  // content. Best effort, never throws. Default: none.
  virtual std::map<std::string, std::string> Artifacts() { return {}; }
};

class HomeContext {
 public:
  virtual ~HomeContext() = default;

  virtual const std::string& id() const = 0;
  virtual const std::string& name() const = 0;
  virtual docker::DockerClient& client() = 0;
  // A node image name (a catalogue name such as "wifi-ap", or a
  // reference) as the engine knows it; may build a catalogue image.
  virtual std::string ResolveImage(const std::string& image) = 0;
  // Labels for something the home makes on the engine, with its role.
  virtual docker::Labels ResourceLabels(const std::string& role) const = 0;
  // A container name for the home's own helper `role`: never one a node
  // can have ("cirque-<home>.<role>"; node names have no '.').
  virtual std::string ResourceName(const std::string& role) const = 0;
  virtual Timeline& timeline() = 0;
  // Throws UnmetRequirementError naming what the engine lacks and the fix.
  virtual void Require(const std::string& who, const std::vector<Requirement>& requirements) = 0;

  // The resource under `key`, made by `make` when there is none. Throws
  // what `make` throws (and a later call tries again), or Error
  // (kFailedPrecondition) once the home is destroyed, or when the resource
  // under `key` is of another type.
  template <typename T>
  T& Resource(const std::string& key, const std::function<std::unique_ptr<T>()>& make) {
    HomeResource& found = FindOrMakeResource(key, [&make]() -> std::unique_ptr<HomeResource> { return make(); });
    T* typed = dynamic_cast<T*>(&found);
    if (typed == nullptr) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "home '" + name() + "': resource '" + key + "' is of another type than asked");
    }
    return *typed;
  }

 protected:
  virtual HomeResource& FindOrMakeResource(const std::string& key,
                                           const std::function<std::unique_ptr<HomeResource>()>& make) = 0;
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_HOME_CONTEXT_H_
