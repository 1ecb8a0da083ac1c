#include "cirque_test/home/subnet_allocator.h"

#include <arpa/inet.h>

#include <cstdio>
#include <random>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

// 10.200.0.0/13: 2048 subnets of /24, away from Docker's default pools
// (172.17-31.0.0/16, 192.168.0.0/16).
constexpr uint32_t kPoolBase = (10u << 24) | (200u << 16);
constexpr int kPoolSubnets = 2048;
constexpr int kTries = 32;

uint32_t Mask(int prefix_length) {
  return prefix_length == 0 ? 0 : ~uint32_t{0} << (32 - prefix_length);
}

std::string Dotted(uint32_t address) {
  char text[16];
  std::snprintf(text, sizeof text, "%u.%u.%u.%u", address >> 24, (address >> 16) & 255,
                (address >> 8) & 255, address & 255);
  return text;
}

}  // namespace

std::string Ipv4Subnet::ToString() const {
  return Dotted(network) + "/" + std::to_string(prefix_length);
}

std::string Ipv4Subnet::Address(uint32_t host) const { return Dotted(network | host); }

bool Ipv4Subnet::Overlaps(const Ipv4Subnet& other) const {
  int shorter = std::min(prefix_length, other.prefix_length);
  return (network & Mask(shorter)) == (other.network & Mask(shorter));
}

std::optional<Ipv4Subnet> Ipv4Subnet::Parse(const std::string& cidr) {
  size_t slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  in_addr address{};
  if (inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &address) != 1) return std::nullopt;
  int prefix = 0;
  try {
    prefix = std::stoi(cidr.substr(slash + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (prefix < 0 || prefix > 32) return std::nullopt;
  return Ipv4Subnet{ntohl(address.s_addr) & Mask(prefix), prefix};
}

AllocatedNetwork CreateNetworkOnFreeSubnet(docker::DockerClient& client,
                                           docker::NetworkSpec spec) {
  static thread_local std::mt19937 random(std::random_device{}());
  std::vector<Ipv4Subnet> taken;
  for (const auto& network : client.ListNetworks({})) {
    for (const auto& pool : network.pools) {
      if (auto subnet = Ipv4Subnet::Parse(pool.subnet)) taken.push_back(*subnet);
    }
  }
  std::string last_error;
  for (int attempt = 0; attempt < kTries; ++attempt) {
    Ipv4Subnet candidate{kPoolBase + (static_cast<uint32_t>(random() % kPoolSubnets) << 8), 24};
    bool free = std::none_of(taken.begin(), taken.end(),
                             [&](const Ipv4Subnet& used) { return used.Overlaps(candidate); });
    if (!free) continue;
    AllocatedNetwork allocated;
    allocated.name = spec.name;
    allocated.ipv4_subnet = candidate.ToString();
    allocated.ipv4_gateway = candidate.Address(1);
    // Docker assigns containers addresses in the lower half only; the upper
    // half is for devices that join by DHCP (stations of a bridging AP).
    spec.pools = {{allocated.ipv4_subnet, allocated.ipv4_gateway, candidate.Address(0) + "/25"}};
    if (spec.enable_ipv6) {
      char ipv6[64];
      std::snprintf(ipv6, sizeof ipv6, "fd63:6972:%x:%x::/64", static_cast<unsigned>(random() & 0xffff),
                    static_cast<unsigned>(random() & 0xffff));
      allocated.ipv6_subnet = ipv6;
      spec.pools.push_back({allocated.ipv6_subnet, "", ""});
    }
    try {
      allocated.id = client.CreateNetwork(spec);
      return allocated;
    } catch (const Error& error) {
      std::string message = error.what();
      if (message.find("overlap") == std::string::npos) throw;
      last_error = message;
      taken.push_back(candidate);
    }
  }
  throw Error(ErrorCode::kInternal, "network '" + spec.name + "': no free subnet in 10.200.0.0/13 after " +
                                        std::to_string(kTries) + " tries" +
                                        (last_error.empty() ? "" : "; last: " + last_error));
}

}  // namespace cirque::home
