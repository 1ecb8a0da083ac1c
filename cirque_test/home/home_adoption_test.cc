// VirtualHome::Adopt on the in-memory engine: a home made by one object is
// taken over by another (as a service started again after a SIGKILL takes
// over its earlier run's homes) with its ids, addresses, specs and
// capability state, works as before, and is removed whole; a home that
// cannot be adopted is removed and the error names the node. Needs no
// Docker daemon.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/testing/error_from.h"

namespace cirque::home {
namespace {

using docker::testing::FakeDockerClient;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::HomeOptionsOnFake;
using testing::LabelledContainers;
using testing::LabelledNetworks;

// Keeps a "token" Enable makes up, the way WiFi keeps a generated
// passphrase: Adopt must get the same one back from the node.
class Badge : public Capability {
 public:
  explicit Badge(const NodeSpec& node) : colour_(node.Setting("badge_colour")) {}
  std::string name() const override { return "Badge"; }
  void Enable(NodeRuntime& node) override { token_ = node.node_name() + "-" + NewId(); }
  void Adopt(NodeRuntime& node) override {
    ++adoptions;
    // The fake engine answers every exec with exit 0 and no output: the
    // container id stands for what a real capability reads from the node.
    token_ = node.node_name() + "-adopted-" + node.container_id().substr(0, 4);
  }
  std::map<std::string, std::string> Describe() const override {
    return {{"colour", colour_}, {"token", token_}};
  }
  static inline int adoptions = 0;

 private:
  std::string colour_;
  std::string token_;
};

class HomeAdoptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::ForgetEngineFacts();
    Badge::adoptions = 0;
    registry_.Register({.name = "Badge", .json_keys = {"badge_colour"}, .make = [](const NodeSpec& node) {
                          return std::make_unique<Badge>(node);
                        }});
  }
  HomeOptions Options() { return HomeOptionsOnFake(fake_, registry_, {}); }

  FakeDockerClient fake_;
  CapabilityRegistry registry_;
};

TEST_F(HomeAdoptionTest, AnAdoptedHomeHasTheSameNodesAddressesAndSpecs) {
  HomeOptions options = Options();
  options.name = "kitchen";
  auto made = VirtualHome::Create(options, {NodeSpec::Named("hub").WithCapability("Badge").WithSetting(
                                                "badge_colour", "\"red\""),
                                            NodeSpec::Named("lamp").OnNetwork(HomeNetwork::kInternal)});
  const std::string hub_container = made->node("hub").container_id();
  const std::string lamp_address = made->node("lamp").ipv4_address();

  auto adopted = VirtualHome::Adopt(Options(), made->id());
  EXPECT_EQ(adopted->id(), made->id());
  EXPECT_EQ(adopted->name(), "kitchen") << "the name comes from the nodes' labels";
  EXPECT_THAT(adopted->NodeNames(), ElementsAre("hub", "lamp"));
  Node& hub = adopted->node("hub");
  EXPECT_EQ(hub.container_id(), hub_container);
  EXPECT_EQ(hub.spec().Setting("badge_colour"), "\"red\"");
  EXPECT_EQ(adopted->node("lamp").spec().network, HomeNetwork::kInternal);
  EXPECT_EQ(adopted->node("lamp").ipv4_address(), lamp_address);
  EXPECT_EQ(adopted->NetworkSubnet(HomeNetwork::kDefault), made->NetworkSubnet(HomeNetwork::kDefault));
  EXPECT_EQ(Badge::adoptions, 1);
  NodeDescription described = hub.Describe();
  EXPECT_EQ(described.state, "running");
  EXPECT_EQ(described.capability_details["Badge"]["colour"], "\"red\"");
  EXPECT_THAT(described.capability_details["Badge"]["token"], HasSubstr("hub-adopted-"));
}

TEST_F(HomeAdoptionTest, AnAdoptedHomeGrowsAndIsRemovedWhole) {
  auto made = VirtualHome::Create(Options(), {NodeSpec::Named("hub")});
  auto adopted = VirtualHome::Adopt(Options(), made->id());
  adopted->AddNode(NodeSpec::Named("sensor"));
  EXPECT_FALSE(adopted->node("sensor").ipv4_address().empty());
  EXPECT_NE(adopted->node("sensor").ipv4_address(), adopted->node("hub").ipv4_address());
  EXPECT_EQ(LabelledNetworks(fake_), 1) << "the new node joined the adopted network";
  adopted->RestartNode("hub");
  adopted->Destroy();
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
  made->Destroy();  // finds nothing left to remove, and says nothing
}

TEST_F(HomeAdoptionTest, AReleasedHomeKeepsRunningUntilAnotherProcessAdoptsIt) {
  std::string id;
  {
    auto made = VirtualHome::Create(Options(), {NodeSpec::Named("hub"), NodeSpec::Named("lamp")});
    id = made->id();
    made->Release();
    EXPECT_THAT(ErrorFrom([&] { made->AddNode(NodeSpec::Named("late")); }).what(), HasSubstr("destroyed"));
  }  // the destructor of a released home removes nothing
  EXPECT_EQ(LabelledContainers(fake_), 2);
  EXPECT_EQ(LabelledNetworks(fake_), 1);
  auto adopted = VirtualHome::Adopt(Options(), id);
  EXPECT_THAT(adopted->NodeNames(), ElementsAre("hub", "lamp"));
  adopted->Destroy();
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

TEST_F(HomeAdoptionTest, AnUnknownHomeIsNotFound) {
  Error error = ErrorFrom([&] { VirtualHome::Adopt(Options(), "0123456789ab"); });
  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("0123456789ab"), HasSubstr(kHomeLabel)));
}

TEST_F(HomeAdoptionTest, AStoppedNodeFailsTheAdoptionAndTheHomeIsRemoved) {
  auto made = VirtualHome::Create(Options(), {NodeSpec::Named("hub"), NodeSpec::Named("lamp")});
  fake_.StopContainer(made->node("lamp").container_id(), std::chrono::seconds(0));
  Error error = ErrorFrom([&] { VirtualHome::Adopt(Options(), made->id()); });
  EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'lamp'"), HasSubstr("not running"), HasSubstr("removed")));
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
}

}  // namespace
}  // namespace cirque::home
