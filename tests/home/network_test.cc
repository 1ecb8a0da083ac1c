// Covers the home's networks against the real engine: Internal isolation,
// Ipv6 addresses, a macvlan LAN on a parent the test makes, and the clear
// refusal of IpvLan where the engine's kernel lacks ipvlan.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;

class MixedNetworksTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {NodeSpec::Named("outside"), NodeSpec::Named("vault").OnNetwork(HomeNetwork::kInternal),
            NodeSpec::Named("safe").OnNetwork(HomeNetwork::kInternal),
            NodeSpec::Named("modern").OnNetwork(HomeNetwork::kIpv6)};
  }
};

TEST_F(MixedNetworksTest, InternalNodesReachOnlyEachOther) {
  EXPECT_PING(node("vault"), node("safe"));
  EXPECT_NO_PING(node("vault"), node("outside"));
  EXPECT_NO_PING(node("outside"), node("vault"));
}

TEST_F(MixedNetworksTest, Ipv6NodeHasAnIpv6Address) {
  EXPECT_THAT(node("modern").ipv6_address(), ::testing::StartsWith("fd63:6972:"));
  EXPECT_THAT(RunOn(node("modern"), {"ip", "-6", "addr", "show", "eth0"}),
              StdoutHas(node("modern").ipv6_address()));
  EXPECT_EQ(home().Describe().networks.size(), 3u);
}

// A veth pair on the engine's host, for a LAN parent; deleted at the end.
class ScopedVethParent {
 public:
  ScopedVethParent() : name_("cqp" + home::NewId().substr(0, 8)) {
    RunProcessOrThrow({"ip", "link", "add", name_, "type", "veth", "peer", "name", name_ + "x"});
    RunProcessOrThrow({"ip", "link", "set", name_, "up"});
    // macvlan children have carrier only while the parent has; a veth has
    // carrier only while its peer is up too.
    RunProcessOrThrow({"ip", "link", "set", name_ + "x", "up"});
  }
  ~ScopedVethParent() { RunProcess({"ip", "link", "del", name_}); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

bool EngineIsLocalAndWeAreRoot() {
  return CirqueEnvironment::Get().client().endpoint().IsLocal() && geteuid() == 0;
}

TEST(LanNetworkTest, MacvlanLanOnAParentTheTestMakes) {
  if (!EngineIsLocalAndWeAreRoot()) {
    GTEST_SKIP() << "the LAN parent must be made on the engine's host: run as root against the local engine";
  }
  ScopedVethParent parent;
  home::HomeOptions options = CirqueEnvironment::Get().HomeOptionsFor("macvlan-lan");
  options.lan_parent = parent.name();
  auto home = home::VirtualHome::Create(
      options, {NodeSpec::Named("bulb").OnNetwork(HomeNetwork::kMacvlan),
                NodeSpec::Named("plug").OnNetwork(HomeNetwork::kMacvlan)});
  EXPECT_PING(home->node("bulb"), home->node("plug"));
  docker::NetworkInfo lan = CirqueEnvironment::Get().client().InspectNetwork(
      "cirque-" + home->id() + "-macvlan");
  EXPECT_EQ(lan.driver, "macvlan");
  EXPECT_EQ(lan.options.at("parent"), parent.name());
  home->Destroy();
}

TEST(LanNetworkTest, IpvlanNeedsAKernelWithIpvlan) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  home::HomeOptions options = environment.HomeOptionsFor("ipvlan-lan");
  options.lan_parent = "eth0";
  if (environment.EngineHas(home::LanRequirement(HomeNetwork::kIpvlan))) {
    if (!EngineIsLocalAndWeAreRoot()) GTEST_SKIP() << "needs a parent made on the engine's host";
    ScopedVethParent parent;
    options.lan_parent = parent.name();
    auto home = home::VirtualHome::Create(options, {NodeSpec::Named("a").OnNetwork(HomeNetwork::kIpvlan),
                                                    NodeSpec::Named("b").OnNetwork(HomeNetwork::kIpvlan)});
    EXPECT_PING(home->node("a"), home->node("b"));
    return;
  }
  // This engine's kernel has no ipvlan: the home says so before making anything.
  try {
    home::VirtualHome::Create(options, {NodeSpec::Named("a").OnNetwork(HomeNetwork::kIpvlan)});
    FAIL() << "an IpvLan node was made on a kernel without ipvlan";
  } catch (const home::UnmetRequirementError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("ipvlan"), HasSubstr("MacvLan"), HasSubstr("node 'a'")));
  }
}

TEST(LanNetworkTest, LanWithoutParentIsAClearError) {
  try {
    home::VirtualHome::Create(CirqueEnvironment::Get().HomeOptionsFor("no-parent"),
                              {NodeSpec::Named("a").OnNetwork(HomeNetwork::kMacvlan)});
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("lan_parent"));
  }
}

}  // namespace
}  // namespace cirque::testing
