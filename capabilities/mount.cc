#include "capabilities/mount.h"

namespace cirque::capabilities {

std::vector<home::Requirement> Mount::Requirements() const {
  std::vector<home::Requirement> requirements;
  for (const auto& mount : mounts_) {
    requirements.push_back({home::Requirement::Kind::kHostFile, mount.host_path,
                            "to mount at " + mount.container_path});
  }
  return requirements;
}

void Mount::Configure(docker::ContainerSpec& container) {
  for (const auto& mount : mounts_) {
    container.storage.mounts.push_back({docker::MountSpec::Type::kBind, mount.host_path,
                                        mount.container_path, mount.read_only});
  }
}

std::map<std::string, std::string> Mount::Describe() const {
  std::map<std::string, std::string> description;
  for (const auto& mount : mounts_) description[mount.container_path] = mount.host_path;
  return description;
}

}  // namespace cirque::capabilities
