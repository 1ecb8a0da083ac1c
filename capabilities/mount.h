// Mount: host paths bind-mounted into the node (the spec's mount_pairs).
// Each host path must exist on the engine's host.
#ifndef CIRQUE_CAPABILITIES_MOUNT_H_
#define CIRQUE_CAPABILITIES_MOUNT_H_

#include <vector>

#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

class Mount : public home::Capability {
 public:
  explicit Mount(std::vector<home::MountPair> mounts) : mounts_(std::move(mounts)) {}
  std::string name() const override { return "Mount"; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  std::map<std::string, std::string> Describe() const override;

 private:
  std::vector<home::MountPair> mounts_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_MOUNT_H_
