// Mount: host paths bind-mounted into the node (Cirque's mount_pairs:
// [[host path, container path], ...]; cirque adds an optional third
// element "ro" for a read-only mount). Each host path must exist on the
// engine's host.
//
//   NodeSpec::Named("device").With(MountPair{"/etc/config.txt", "/data/config.txt"})
#ifndef CIRQUE_CAPABILITIES_MOUNT_H_
#define CIRQUE_CAPABILITIES_MOUNT_H_

#include <vector>

#include "cirque_test/home/capability.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kMount = "Mount";
inline constexpr const char* kMountPairsKey = "mount_pairs";

struct MountPair {
  std::string host_path;       // on the engine's host; absolute
  std::string container_path;  // absolute
  bool read_only = false;
};

// Adds one mount to the node's mount_pairs and lists Mount on it.
void ApplyTo(home::NodeSpec& node, const MountPair& mount);
// The node's mounts. Throws Error (kInvalidArgument) naming the pair and
// what is wrong with it.
std::vector<MountPair> MountsOf(const home::NodeSpec& node);

class Mount : public home::Capability {
 public:
  explicit Mount(std::vector<MountPair> mounts) : mounts_(std::move(mounts)) {}
  std::string name() const override { return kMount; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  std::map<std::string, std::string> Describe() const override;

 private:
  std::vector<MountPair> mounts_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_MOUNT_H_
