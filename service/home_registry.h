// The homes a cirque service owns, by id: made from node specs (Cirque's
// JSON or NodeSpecs), listed, looked up and destroyed. Each home is shared:
// a request that found one (an exec, say) keeps it alive while a delete
// racing it takes it out of the registry and destroys it; that request's
// node calls then throw a clear Error instead of touching freed memory.
//
// The registry does not destroy homes when it goes away: its owner calls
// DestroyAll (a service's shutdown) or leaves them running (--keep-homes).
//
// Errors: Error. kInvalidArgument for a bad spec (naming node, key, value
// and fix, from the spec parser), kNotFound for an unknown home or node
// (listing the known ones), and whatever VirtualHome::Create throws
// (UnmetRequirementError when the engine lacks a feature).
// Thread safety: every method may be called from several threads; homes
// are made and destroyed outside the registry's lock.
#ifndef CIRQUE_SERVICE_HOME_REGISTRY_H_
#define CIRQUE_SERVICE_HOME_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::service {

class HomeRegistry {
 public:
  // Makes a ready home named `name` from `nodes` (Runtime::MakeHome).
  using HomeMaker =
      std::function<std::unique_ptr<home::VirtualHome>(const std::string& name, const std::vector<home::NodeSpec>&)>;
  // Checks a parsed spec before anything is made (the service's limits on
  // what a network client may ask for); throws Error to refuse it.
  using SpecCheck = std::function<void(const std::vector<home::NodeSpec>&)>;

  // `capabilities` parses specs and outlives the registry.
  HomeRegistry(const home::CapabilityRegistry& capabilities, HomeMaker make_home, SpecCheck check = nullptr);

  // A new home from Cirque's JSON ({"node name": {spec}, ...}); its id.
  std::string CreateFromJson(std::string_view spec_json);
  std::string Create(const std::vector<home::NodeSpec>& nodes);
  // Adds the node `spec` to the running home `id` (Cirque's gRPC
  // CreateCirqueDevice), after the SpecCheck (which sees this node alone);
  // the node made.
  std::shared_ptr<home::Node> AddNode(const std::string& id, const home::NodeSpec& spec);

  // Registers a home this registry did not make (one adopted when the
  // service started again: VirtualHome::Adopt); later homes' names do not
  // repeat its name. Error (kConflict) when its id is registered already.
  void Add(std::shared_ptr<home::VirtualHome> home);

  // Ids in the order the homes were made.
  std::vector<std::string> Ids() const;
  std::shared_ptr<home::VirtualHome> Find(const std::string& id) const;
  // Takes the home out of the registry, then destroys it.
  void Destroy(const std::string& id);
  // Destroys every home; returns what could not be removed, one line each.
  std::vector<std::string> DestroyAll();
  // Forgets every home without destroying it (they keep running).
  std::vector<std::string> ReleaseAll();

  const home::CapabilityRegistry& capabilities() const { return capabilities_; }
  // The spec check given at construction, for nodes added to a home later.
  void Check(const std::vector<home::NodeSpec>& nodes) const {
    if (check_) check_(nodes);
  }

 private:
  const home::CapabilityRegistry& capabilities_;
  const HomeMaker make_home_;
  const SpecCheck check_;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<home::VirtualHome>>> homes_;  // GUARDED_BY(mutex_)
  int made_ = 0;                                                                  // GUARDED_BY(mutex_)
};

// The node of `home` that `device` names: its name, its container id, or a
// prefix of that id of at least 12 characters (Cirque's device ids are
// container ids). Throws Error (kNotFound) listing the home's nodes.
std::shared_ptr<home::Node> FindDevice(home::VirtualHome& home, const std::string& device);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_HOME_REGISTRY_H_
