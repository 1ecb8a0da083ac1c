#include "service/mount_policy.h"

#include <filesystem>

#include "capabilities/mount.h"
#include "capabilities/weave.h"
#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

// The path with ".", ".." and existing symbolic links resolved.
std::string Resolved(const std::string& path) {
  std::error_code error;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(path, error);
  if (error) resolved = std::filesystem::path(path).lexically_normal();
  std::string text = resolved.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

bool Under(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

}  // namespace

MountPolicy::MountPolicy(const std::vector<std::string>& allowed_dirs) {
  for (const auto& dir : allowed_dirs) {
    if (dir.empty() || dir.front() != '/') {
      throw Error(ErrorCode::kInvalidArgument,
                  "--allow-mount '" + dir + "' is not an absolute directory; fix: give one such as /srv/cirque-data");
    }
    allowed_.push_back(Resolved(dir));
  }
}

bool MountPolicy::Allows(const std::string& host_path) const {
  if (host_path.empty() || host_path.front() != '/') return false;
  const std::string path = Resolved(host_path);
  for (const auto& dir : allowed_) {
    if (Under(path, dir)) return true;
  }
  return false;
}

void MountPolicy::Check(const std::vector<home::NodeSpec>& nodes) const {
  auto refuse = [this](const home::NodeSpec& node, const std::string& key, const std::string& path) {
    std::string allowed;
    for (const auto& dir : allowed_) allowed += (allowed.empty() ? "" : ", ") + dir;
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + node.name + "': " + key + " host path '" + path +
                    "' is not under a directory this service allows to be mounted (" +
                    (allowed.empty() ? "none" : allowed) +
                    "); a mount gives the node's users that part of the host; fix: mount from an allowed "
                    "directory, or start the service with --allow-mount DIR");
  };
  for (const auto& node : nodes) {
    if (!node.Setting(capabilities::kMountPairsKey).empty()) {
      for (const auto& mount : capabilities::MountsOf(node)) {
        if (!Allows(mount.host_path)) refuse(node, "mount_pairs", mount.host_path);
      }
    }
    if (!node.Setting("weave_config_file").empty()) {
      const std::string weave_file = capabilities::WeaveSettingsOf(node).config_file;
      if (!Allows(weave_file)) refuse(node, "weave_config_file", weave_file);
    }
  }
}

}  // namespace cirque::service
