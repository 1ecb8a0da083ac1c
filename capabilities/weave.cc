#include "capabilities/weave.h"

namespace cirque::capabilities {

std::vector<home::Requirement> Weave::Requirements() const {
  return {{home::Requirement::Kind::kHostFile, config_file_, "the Weave certificate"}};
}

void Weave::Configure(docker::ContainerSpec& container) {
  container.storage.mounts.push_back(
      {docker::MountSpec::Type::kBind, config_file_, target_path_, /*read_only=*/true});
}

std::map<std::string, std::string> Weave::Describe() const {
  return {{"config_file", config_file_}, {"target_path", target_path_}};
}

}  // namespace cirque::capabilities
