// Covers networks against the real engine: bridge with IPAM and options,
// internal and IPv6 networks, static addresses on connect, disconnect, list
// by label, and a macvlan network on a veth parent the test makes.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::docker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A network removed by the destructor. Picks a random private subnet,
// retrying when the engine says it overlaps one already in use.
class ScopedNetwork {
 public:
  explicit ScopedNetwork(NetworkSpec spec, bool pick_subnet = true) {
    spec.name = UniqueName(spec.name.empty() ? "net" : spec.name);
    for (const auto& [key, value] : TestLabels()) spec.labels[key] = value;
    std::mt19937 random(std::random_device{}());
    const std::vector<IpamPool> callers_pools = spec.pools;
    for (int attempt = 0;; ++attempt) {
      if (pick_subnet) {
        third_octet_ = static_cast<int>(random() % 250) + 1;
        std::string prefix = "172.29." + std::to_string(third_octet_) + ".";
        spec.pools = {IpamPool{prefix + "0/24", prefix + "1", prefix + "128/25"}};
        spec.pools.insert(spec.pools.end(), callers_pools.begin(), callers_pools.end());
      }
      try {
        id_ = Client().CreateNetwork(spec);
        name_ = spec.name;
        return;
      } catch (const Error& error) {
        bool overlap = std::string(error.what()).find("overlap") != std::string::npos;
        if (!pick_subnet || !overlap || attempt == 20) throw;
      }
    }
  }
  ~ScopedNetwork() {
    try {
      Client().RemoveNetwork(id_);
    } catch (const Error& error) {
      ADD_FAILURE() << "removing network " << name_ << ": " << error.what();
    }
  }
  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  std::string Address(int host) const {
    return "172.29." + std::to_string(third_octet_) + "." + std::to_string(host);
  }

 private:
  std::string id_, name_;
  int third_octet_ = 0;
};

std::string Addresses(const std::string& container_id) {
  return Client().Exec(container_id, {.cmd = {"ip", "-o", "addr"}}).stdout_text;
}

TEST(NetworkTest, BridgeWithIpamOptionsAndLabels) {
  NetworkSpec spec;
  spec.options = {{"com.docker.network.bridge.enable_icc", "true"}};
  ScopedNetwork network(spec);
  NetworkInfo info = Client().InspectNetwork(network.id());
  EXPECT_EQ(info.name, network.name());
  EXPECT_EQ(info.driver, "bridge");
  ASSERT_EQ(info.pools.size(), 1u);
  EXPECT_EQ(info.pools[0].gateway, network.Address(1));
  EXPECT_EQ(info.options.at("com.docker.network.bridge.enable_icc"), "true");
  EXPECT_EQ(info.labels.at("cirque.test"), "docker");
}

TEST(NetworkTest, ConnectsWithAStaticAddressAndDisconnects) {
  ScopedNetwork network(NetworkSpec{});
  ScopedContainer container(ContainerSpec{});
  Client().ConnectNetwork(network.id(), container.id(),
                          {.ipv4_address = network.Address(42), .aliases = {"sensor"}});
  EXPECT_THAT(Addresses(container.id()), HasSubstr(network.Address(42) + "/24"));
  ContainerInfo info = Client().InspectContainer(container.id());
  EXPECT_EQ(info.networks.at(network.name()).ipv4_address, network.Address(42));
  EXPECT_EQ(Client().InspectNetwork(network.id()).containers.size(), 1u);

  Client().DisconnectNetwork(network.id(), container.id());
  EXPECT_THAT(Addresses(container.id()), Not(HasSubstr(network.Address(42))));
}

TEST(NetworkTest, AttachesAtCreateWithAStaticAddress) {
  ScopedNetwork network(NetworkSpec{});
  ContainerSpec spec;
  spec.network.endpoint = EndpointSpec{.network = network.name(),
                                       .ipv4_address = network.Address(7)};
  ScopedContainer container(spec);
  EXPECT_THAT(Addresses(container.id()), HasSubstr(network.Address(7) + "/24"));
  ScopedContainer peer(ContainerSpec{.network = {.endpoint = EndpointSpec{.network = network.name()}}});
  ExecResult ping = Client().Exec(peer.id(), {.cmd = {"ping", "-c", "1", "-W", "5", network.Address(7)}});
  EXPECT_EQ(ping.exit_code, 0) << ping.stdout_text << ping.stderr_text;
}

TEST(NetworkTest, InternalNetworkCannotReachOtherNetworks) {
  NetworkSpec spec;
  spec.internal = true;
  ScopedNetwork internal(spec);
  ScopedNetwork outside(NetworkSpec{});
  EXPECT_TRUE(Client().InspectNetwork(internal.id()).internal);
  ScopedContainer isolated(ContainerSpec{
      .network = {.endpoint = EndpointSpec{.network = internal.name()}}});
  ScopedContainer neighbour(ContainerSpec{
      .network = {.endpoint = EndpointSpec{.network = outside.name(), .ipv4_address = outside.Address(9)}}});
  ScopedContainer same_side(ContainerSpec{
      .network = {.endpoint = EndpointSpec{.network = internal.name(), .ipv4_address = internal.Address(9)}}});
  ExecResult inside = Client().Exec(isolated.id(), {.cmd = {"ping", "-c", "1", "-W", "3", internal.Address(9)}});
  EXPECT_EQ(inside.exit_code, 0) << inside.stdout_text;
  ExecResult out = Client().Exec(isolated.id(), {.cmd = {"ping", "-c", "1", "-W", "1", outside.Address(9)}});
  EXPECT_NE(out.exit_code, 0) << "an internal network reached " << outside.Address(9);
}

TEST(NetworkTest, Ipv6NetworkGivesIpv6Addresses) {
  std::mt19937 random(std::random_device{}());
  char subnet[64];
  std::snprintf(subnet, sizeof subnet, "fd00:c1:%x::/64", static_cast<unsigned>(random() & 0xffff));
  NetworkSpec spec;
  spec.enable_ipv6 = true;
  spec.pools = {IpamPool{subnet, "", ""}};
  ScopedNetwork network(spec);
  EXPECT_TRUE(Client().InspectNetwork(network.id()).enable_ipv6);
  ScopedContainer container(ContainerSpec{.network = {.endpoint = EndpointSpec{.network = network.name()}}});
  std::string prefix(subnet, std::string(subnet).find("::"));
  EXPECT_THAT(Addresses(container.id()), HasSubstr(prefix));
  EXPECT_THAT(Client().InspectContainer(container.id()).networks.at(network.name()).ipv6_address,
              HasSubstr(prefix));
}

TEST(NetworkTest, ListsByLabel) {
  NetworkSpec spec;
  std::string marker = UniqueName("marker");
  spec.labels = {{"cirque.net-list", marker}};
  ScopedNetwork labelled(spec);
  ScopedNetwork other(NetworkSpec{});
  std::vector<NetworkInfo> listed = Client().ListNetworks({{"cirque.net-list", marker}});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, labelled.id());
}

// A veth pair on the engine's host, deleted by the destructor.
class ScopedVeth {
 public:
  ScopedVeth() {
    name_ = "cqv" + std::to_string(getpid() % 100000);
    RunProcessOrThrow({"ip", "link", "add", name_, "type", "veth", "peer", "name", name_ + "p"});
    RunProcessOrThrow({"ip", "link", "set", name_, "up"});
    RunProcessOrThrow({"ip", "link", "set", name_ + "p", "up"});
  }
  ~ScopedVeth() { RunProcess({"ip", "link", "del", name_}); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

TEST(NetworkTest, MacvlanOnAVethParent) {
  if (!Client().endpoint().IsLocal()) {
    GTEST_SKIP() << "the macvlan parent must exist on the engine's host, and this engine ("
                 << Client().endpoint().ToString()
                 << ") is remote; run against the local engine to cover macvlan";
  }
  if (geteuid() != 0) GTEST_SKIP() << "making a veth parent needs root; run tests as root";
  ScopedVeth parent;
  NetworkSpec spec;
  spec.name = "macvlan";
  spec.driver = "macvlan";
  spec.options = {{"parent", parent.name()}, {"macvlan_mode", "bridge"}};
  ScopedNetwork network(spec);
  NetworkInfo info = Client().InspectNetwork(network.id());
  EXPECT_EQ(info.driver, "macvlan");
  EXPECT_EQ(info.options.at("parent"), parent.name());
  ScopedContainer a(ContainerSpec{
      .network = {.endpoint = EndpointSpec{.network = network.name(), .ipv4_address = network.Address(10)}}});
  ScopedContainer b(ContainerSpec{
      .network = {.endpoint = EndpointSpec{.network = network.name(), .ipv4_address = network.Address(11)}}});
  EXPECT_THAT(Addresses(a.id()), HasSubstr(network.Address(10) + "/24"));
  ExecResult ping = Client().Exec(b.id(), {.cmd = {"ping", "-c", "1", "-W", "5", network.Address(10)}});
  EXPECT_EQ(ping.exit_code, 0) << ping.stdout_text << ping.stderr_text;
}

TEST(NetworkTest, RemovingAnUnknownNetworkIsNotFound) {
  try {
    Client().RemoveNetwork(UniqueName("never-made"));
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_EQ(error.request().method, "DELETE");
  }
}

}  // namespace
}  // namespace cirque::docker::testing
