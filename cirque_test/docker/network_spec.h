// Creating and describing networks.
#ifndef CIRQUE_TEST_DOCKER_NETWORK_SPEC_H_
#define CIRQUE_TEST_DOCKER_NETWORK_SPEC_H_

#include <map>
#include <string>
#include <vector>

namespace cirque::docker {

struct IpamPool {
  std::string subnet;    // "172.30.5.0/24", "fd00:c1::/64"
  std::string gateway;   // Default: the engine picks the first address.
  std::string ip_range;  // Default: the whole subnet.
};

struct NetworkSpec {
  std::string name;              // REQUIRED
  std::string driver = "bridge";  // "bridge", "macvlan", "ipvlan"
  bool internal = false;          // no route out of the network
  bool enable_ipv6 = false;
  bool attachable = true;
  std::vector<IpamPool> pools;  // Default: the engine allocates one.
  // Driver options, e.g. {"parent": "eth1"} for macvlan.
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> labels;
};

struct NetworkInfo {
  std::string id;
  std::string name;
  std::string driver;
  bool internal = false;
  bool enable_ipv6 = false;
  std::vector<IpamPool> pools;
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> labels;
  // Attached containers: id -> IPv4 address with prefix ("172.30.5.2/24").
  std::map<std::string, std::string> containers;
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_NETWORK_SPEC_H_
