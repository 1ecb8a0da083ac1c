// What the engine reports about containers, and how to ask for their logs.
#ifndef CIRQUE_TEST_DOCKER_CONTAINER_INFO_H_
#define CIRQUE_TEST_DOCKER_CONTAINER_INFO_H_

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cirque_test/docker/container_spec.h"

namespace cirque::docker {

struct ContainerState {
  std::string status;  // "created", "running", "exited", ...
  bool running = false;
  int pid = 0;  // in the engine host's pid namespace; 0 when not running
  int exit_code = 0;
  std::string error;  // the engine's error starting it, or ""
};

// A container's address on one network.
struct NetworkAddress {
  std::string network_id;
  std::string ipv4_address;  // without prefix length
  int ipv4_prefix_length = 0;
  std::string ipv6_address;
  std::string gateway;
  std::string mac_address;
};

struct ContainerInfo {
  std::string id;
  std::string name;  // without the leading '/'
  std::string image;
  Labels labels;
  bool tty = false;
  ContainerState state;
  std::map<std::string, NetworkAddress> networks;  // by network name
};

// One row of a container listing.
struct ContainerSummary {
  std::string id;
  std::string name;  // without the leading '/'
  std::string image;
  std::string state;  // "running", "exited", ...
  Labels labels;
};

struct LogOptions {
  bool stdout = true;
  bool stderr = true;
  int tail = -1;          // last N lines; -1 for all. 0 gives no lines.
  long long since = 0;    // unix seconds; 0 for the beginning
  bool timestamps = false;
};

struct ContainerLogs {
  std::string stdout_text;
  std::string stderr_text;
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_CONTAINER_INFO_H_
