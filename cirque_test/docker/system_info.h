// What the engine says about itself.
#ifndef CIRQUE_TEST_DOCKER_SYSTEM_INFO_H_
#define CIRQUE_TEST_DOCKER_SYSTEM_INFO_H_

#include <string>

namespace cirque::docker {

struct VersionInfo {
  std::string version;          // "20.10.24"
  std::string api_version;      // highest the engine speaks: "1.41"
  std::string min_api_version;  // lowest it speaks
  std::string os;
  std::string arch;
  std::string kernel_version;
};

struct SystemInfo {
  std::string name;  // the engine host's name
  std::string kernel_version;
  std::string operating_system;
  std::string cgroup_driver;   // "cgroupfs", "systemd"
  std::string cgroup_version;  // "1", "2"
  std::string storage_driver;  // "overlay2", ...
  std::string docker_root_dir;
  int cpus = 0;
  long long memory_bytes = 0;
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_SYSTEM_INFO_H_
