#include "capabilities/mount.h"

#include "capabilities/settings_json.h"
#include "cirque_test/util/error.h"

namespace cirque::capabilities {

void ApplyTo(home::NodeSpec& node, const MountPair& mount) {
  Json pairs = SettingOf(node, kMountPairsKey);
  if (!pairs.is_array()) pairs = Json::array();
  Json pair = {mount.host_path, mount.container_path};
  if (mount.read_only) pair.push_back("ro");
  pairs.push_back(pair);
  node.WithCapability(kMount);
  node.WithSetting(kMountPairsKey, pairs.dump());
}

std::vector<MountPair> MountsOf(const home::NodeSpec& node) {
  Json pairs = SettingOf(node, kMountPairsKey);
  std::vector<MountPair> mounts;
  if (pairs.is_null()) return mounts;
  if (!pairs.is_array()) InvalidSetting(node, kMountPairsKey, pairs, "is not a list of [host, target] pairs");
  for (const auto& pair : pairs) {
    bool shaped = pair.is_array() && (pair.size() == 2 || pair.size() == 3) && pair[0].is_string() &&
                  pair[1].is_string() && (pair.size() == 2 || pair[2] == "ro" || pair[2] == "rw");
    if (!shaped) {
      InvalidSetting(node, "mount_pairs[]", pair,
                     "is not a [host path, container path] pair of strings (optionally with \"ro\")");
    }
    MountPair mount{pair[0].get<std::string>(), pair[1].get<std::string>(), pair.size() == 3 && pair[2] == "ro"};
    for (const auto& [which, path] : {std::pair{"host", mount.host_path}, {"container", mount.container_path}}) {
      if (path.empty() || path.front() != '/') {
        throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': mount_pairs " + which + " path '" +
                                                     path + "' is not an absolute path");
      }
    }
    mounts.push_back(mount);
  }
  return mounts;
}

std::vector<home::Requirement> Mount::Requirements() const {
  std::vector<home::Requirement> requirements;
  for (const auto& mount : mounts_) {
    requirements.push_back({.kind = home::Requirement::Kind::kHostFile,
                            .name = mount.host_path,
                            .why = "to mount at " + mount.container_path,
                            .fix = "create it on the engine's host or correct the path"});
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
  for (const auto& mount : mounts_) {
    description[mount.container_path] = mount.host_path + (mount.read_only ? " (read-only)" : "");
  }
  return description;
}

}  // namespace cirque::capabilities
