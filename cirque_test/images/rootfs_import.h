// Makes a Debian root filesystem image without a registry: debootstrap
// (minbase) from the host's apt mirror into a scratch folder, packed as a
// tar and imported through the engine's API. The tag is a hash of suite,
// variant and mirror, so it is made once per engine.
//
// Needs root (debootstrap) on the machine running it; the engine may be
// remote. Thread safety: not thread-safe.
#ifndef CIRQUE_TEST_IMAGES_ROOTFS_IMPORT_H_
#define CIRQUE_TEST_IMAGES_ROOTFS_IMPORT_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "cirque_test/docker/docker_client.h"

namespace cirque::images {

inline constexpr const char* kRootfsRepository = "cirque/rootfs";

class RootfsImport {
 public:
  RootfsImport(docker::DockerClient& client, std::string suite,
               std::map<std::string, std::string> labels,
               std::function<void(std::string_view)> on_progress);

  // Returns {reference, id} of the root filesystem image, importing it when
  // the engine lacks it. Throws Error naming debootstrap's failure and its
  // last output lines.
  std::pair<std::string, std::string> Ensure();

 private:
  docker::DockerClient& client_;
  std::string suite_;
  std::map<std::string, std::string> labels_;
  std::function<void(std::string_view)> on_progress_;
};

}  // namespace cirque::images

#endif  // CIRQUE_TEST_IMAGES_ROOTFS_IMPORT_H_
