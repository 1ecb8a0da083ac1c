// Creates home networks on subnets nobody else uses. Candidates are drawn at
// random from cirque's ranges, skipping every subnet the engine's networks
// already hold; the engine's own IPAM is the final arbiter, so a candidate
// another process took a moment earlier ("overlaps") is retried with the
// next one. Two processes making homes at the same time thus never collide.
//
// Thread safety: CreateNetworkOnFreeSubnet may be called concurrently.
#ifndef CIRQUE_TEST_HOME_SUBNET_ALLOCATOR_H_
#define CIRQUE_TEST_HOME_SUBNET_ALLOCATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

struct Ipv4Subnet {
  uint32_t network = 0;  // host byte order
  int prefix_length = 0;

  std::string ToString() const;              // "10.200.7.0/24"
  std::string Address(uint32_t host) const;  // "10.200.7.<host>"
  bool Overlaps(const Ipv4Subnet& other) const;
  // Parses "a.b.c.d/n"; nothing for IPv6 or malformed text.
  static std::optional<Ipv4Subnet> Parse(const std::string& cidr);
};

struct AllocatedNetwork {
  std::string id;
  std::string name;
  std::string ipv4_subnet;   // "10.200.7.0/24"
  std::string ipv4_gateway;  // "10.200.7.1"
  std::string ipv6_subnet;   // "fd63:..::/64" when IPv6 was asked for, else ""
};

// Creates `spec` (its pools are replaced) on a free /24 from 10.200.0.0/13,
// whose lower half (.1 to .126: up to 125 containers) Docker assigns,
// and, when spec.enable_ipv6, a random ULA /64. Throws the engine's Error
// when creation fails for another reason, or after 32 overlapping tries.
AllocatedNetwork CreateNetworkOnFreeSubnet(docker::DockerClient& client,
                                           docker::NetworkSpec spec);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_SUBNET_ALLOCATOR_H_
