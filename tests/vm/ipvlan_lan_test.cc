// Covers the IpvLan LAN where the engine's kernel has ipvlan (the VM tier:
// the VM's kernel loads it; this host's has none, where
// //tests/home:network_test checks the refusal). As the seed describes it,
// nodes and a real device share one subnet on the engine host's link: the
// parent is a veth pair made on the engine's host (through a first home's
// host agent, which runs in that host's network namespace), the LAN's
// nodes are ipvlan children of one end, and the "device" is the other end
// with an address of the LAN's subnet, in the host's own namespace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/requirement.h"
#include "cirque_test/util/error.h"
#include "fixtures/assertions.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/required_features.h"

namespace cirque::testing {
namespace {

using home::HomeNetwork;
using home::NodeSpec;

// "172.30.5.0/24" -> "172.30.5.<host>".
std::string AddressIn(const std::string& subnet, int host) {
  const std::string network = subnet.substr(0, subnet.find('/'));
  return network.substr(0, network.rfind('.') + 1) + std::to_string(host);
}

// Runs argv in the engine host's network namespace; throws on failure.
void HostRun(home::Node& agent, const std::vector<std::string>& argv) {
  docker::ExecResult result = agent.HostExec(argv);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, ::testing::PrintToString(argv) + " on the engine's host exited " +
                                          std::to_string(result.exit_code) + ": " + result.stdout_text +
                                          result.stderr_text);
  }
}

// The veth pair on the engine's host, deleted (both ends) when it goes.
class HostVethPair {
 public:
  HostVethPair(home::Node& agent, std::string name) : agent_(agent), name_(std::move(name)) {
    HostRun(agent_, {"ip", "link", "add", name_, "type", "veth", "peer", "name", peer()});
    HostRun(agent_, {"ip", "link", "set", name_, "up"});
    HostRun(agent_, {"ip", "link", "set", peer(), "up"});
  }
  ~HostVethPair() { agent_.HostExec({"ip", "link", "del", name_}); }
  const std::string& name() const { return name_; }
  std::string peer() const { return name_ + "d"; }

 private:
  home::Node& agent_;
  std::string name_;
};

TEST(IpvlanLanTest, NodesAndADeviceOnTheEngineHostsLinkShareOneSubnet) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  // The first home only lends its host agent (made on first use): it
  // makes the parent before the LAN home exists.
  auto helper = home::VirtualHome::Create(environment.HomeOptionsFor("ipvlan-parent"), {NodeSpec::Named("agent")});
  HostVethPair link(helper->node("agent"), "cqi" + home::NewId().substr(0, 8));

  home::HomeOptions options = environment.HomeOptionsFor("ipvlan-lan");
  options.lan_parent = link.name();
  std::unique_ptr<home::VirtualHome> lan;
  try {
    lan = home::VirtualHome::Create(options, {NodeSpec::Named("bulb").OnNetwork(HomeNetwork::kIpvlan),
                                              NodeSpec::Named("plug").OnNetwork(HomeNetwork::kIpvlan)});
  } catch (const home::UnmetRequirementError& unmet) {
    CIRQUE_SKIP_UNLESS_REQUIRED(unmet);
  }
  docker::NetworkInfo network = environment.client().InspectNetwork("cirque-" + lan->id() + "-ipvlan");
  EXPECT_EQ(network.driver, "ipvlan");
  EXPECT_EQ(network.options.at("parent"), link.name());

  // The device: the parent's peer, given an address of the LAN's subnet.
  const std::string subnet = lan->NetworkSubnet(HomeNetwork::kIpvlan);
  ASSERT_FALSE(subnet.empty());
  const std::string device_address = AddressIn(subnet, 250);
  HostRun(helper->node("agent"),
          {"ip", "addr", "add", device_address + subnet.substr(subnet.find('/')), "dev", link.peer()});

  const std::string first_three = device_address.substr(0, device_address.rfind('.') + 1);
  EXPECT_THAT(lan->node("bulb").ipv4_address(), ::testing::StartsWith(first_three));
  EXPECT_PING(lan->node("bulb"), lan->node("plug"));
  EXPECT_PING(lan->node("plug"), lan->node("bulb"));
  for (const char* name : {"bulb", "plug"}) {
    docker::ExecResult ping = lan->node(name).Exec({"ping", "-c", "1", "-W", "5", device_address});
    EXPECT_EQ(ping.exit_code, 0) << name << " did not reach the device at " << device_address << " on "
                                 << link.name() << ": " << ping.stdout_text << ping.stderr_text;
  }

  const std::string lan_id = lan->id();
  lan->Destroy();
  EXPECT_TRUE(environment.client().ListNetworks({{home::kHomeLabel, lan_id}}).empty());
}

}  // namespace
}  // namespace cirque::testing
