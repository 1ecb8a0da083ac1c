// What a network client of the service may mount into a node. A bind mount
// of a host path is root on the engine's host for whoever runs commands in
// the node (a mount of / is the whole host), so the service refuses every
// host path outside the directories its operator allowed (--allow-mount
// DIR); with none allowed, no node spec may mount anything. Host paths are
// Mount's mount_pairs and Weave's weave_config_file.
//
// A path is judged after resolving "..", "." and symbolic links as far as
// they exist on this host (the engine's host when the engine is local), so
// "/allowed/../etc" and a link from /allowed to /etc are both refused.
//
// Errors: Check throws Error (kInvalidArgument) naming the node, the key,
// the path and the fix. Immutable after construction; thread-safe.
#ifndef CIRQUE_SERVICE_MOUNT_POLICY_H_
#define CIRQUE_SERVICE_MOUNT_POLICY_H_

#include <string>
#include <vector>

#include "cirque_test/home/node_spec.h"

namespace cirque::service {

class MountPolicy {
 public:
  // `allowed_dirs`: absolute directories. Throws Error (kInvalidArgument)
  // for a relative one.
  explicit MountPolicy(const std::vector<std::string>& allowed_dirs);

  void Check(const std::vector<home::NodeSpec>& nodes) const;
  bool Allows(const std::string& host_path) const;

 private:
  std::vector<std::string> allowed_;  // resolved, without a trailing slash
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_MOUNT_POLICY_H_
