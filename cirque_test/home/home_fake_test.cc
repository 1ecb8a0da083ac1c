// Covers a VirtualHome's life on the in-memory engine: what it makes and
// removes, how it rolls back and reports failures of the engine (injected),
// how it words unmet requirements, and that its helpers' names never take a
// node's. Needs no Docker daemon.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/util/testing/error_from.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/home/testing/iptables_model.h"
#include "cirque_test/home/testing/probe_answers.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using docker::testing::FakeDockerClient;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::HomeOptionsOnFake;
using testing::LabelledContainers;
using testing::LabelledNetworks;

std::vector<NodeSpec> Nodes(std::initializer_list<const char*> names) {
  std::vector<NodeSpec> specs;
  for (const char* name : names) specs.push_back(NodeSpec::Named(name));
  return specs;
}

// The names of the containers ever created on `fake` with cirque.role == role.
std::vector<std::string> CreatedWithRole(FakeDockerClient& fake, const std::string& role) {
  std::vector<std::string> names;
  for (const auto& created : fake.CreatedContainers()) {
    auto found = created.spec.labels.find(kRoleLabel);
    if (found != created.spec.labels.end() && found->second == role) names.push_back(created.name);
  }
  return names;
}

class HomeOnFakeTest : public ::testing::Test {
 protected:
  void SetUp() override { engine::ForgetEngineFacts(); }

  HomeOptions Options(const std::map<std::string, bool>& features = {}) {
    return HomeOptionsOnFake(fake_, registry_, features);
  }

  FakeDockerClient fake_;
  CapabilityRegistry registry_;
};

TEST_F(HomeOnFakeTest, ThreeNodesMadeAndDestroyedLeaveNothing) {
  auto home = VirtualHome::Create(Options(), Nodes({"hub", "sensor", "lamp"}));
  EXPECT_THAT(home->NodeNames(), ElementsAre("hub", "lamp", "sensor"));
  EXPECT_EQ(LabelledContainers(fake_), 3);
  EXPECT_EQ(LabelledNetworks(fake_), 1);
  EXPECT_FALSE(home->node("sensor").ipv4_address().empty());
  home->Destroy();
  EXPECT_TRUE(home->destroyed());
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
}

// Counts Equip and Enable calls (Enable must come after Equip), and fails
// Enable for a node named "bad".
class Counted : public Capability {
 public:
  Counted(std::atomic<int>& enabled, std::atomic<int>* equipped = nullptr) : enabled_(enabled), equipped_(equipped) {}
  std::string name() const override { return "Counted"; }
  void Equip(NodeRuntime& node) override {
    EXPECT_FALSE(node.container_id().empty());
    equipped_here_ = true;
    if (equipped_ != nullptr) ++*equipped_;
  }
  void Enable(NodeRuntime& node) override {
    EXPECT_TRUE(equipped_here_) << "enabled before it was equipped";
    if (node.node_name() == "bad") throw Error(ErrorCode::kInternal, "bad refuses");
    ++enabled_;
  }

 private:
  std::atomic<int>& enabled_;
  std::atomic<int>* equipped_;
  bool equipped_here_ = false;
};

TEST_F(HomeOnFakeTest, PrepareStartsContainersAndActivateEnablesCapabilities) {
  std::atomic<int> enabled{0}, equipped{0};
  registry_.Register("Counted", [&](const NodeSpec&) { return std::make_unique<Counted>(enabled, &equipped); });
  std::vector<NodeSpec> nodes = {NodeSpec::Named("hub").WithCapability("Counted"), NodeSpec::Named("lamp").WithCapability("Counted")};
  auto home = VirtualHome::Prepare(Options(), nodes);
  EXPECT_TRUE(home->prepared_only());
  EXPECT_EQ(LabelledContainers(fake_), 2);
  EXPECT_EQ(fake_.CallCount("StartContainer"), 2);
  EXPECT_FALSE(home->node("hub").ipv4_address().empty());
  EXPECT_EQ(equipped, 2) << "radios and the like come with the prepared home";
  EXPECT_EQ(enabled, 0);
  EXPECT_THAT(ErrorFrom([&] { home->AddNode(NodeSpec::Named("late")); }).what(), HasSubstr("Activate it first"));

  home->Activate("kitchen");
  EXPECT_EQ(enabled, 2);
  EXPECT_FALSE(home->prepared_only());
  EXPECT_EQ(home->name(), "kitchen");
  EXPECT_EQ(home->Describe().name, "kitchen");
  EXPECT_THAT(ErrorFrom([&] { home->Activate("again"); }).what(), HasSubstr("already active"));
  home->AddNode(NodeSpec::Named("late").WithCapability("Counted"));  // an active home grows as any other
  EXPECT_EQ(enabled, 3);
  EXPECT_EQ(equipped, 3);
  home->RestartNode("late");  // a restarted container is equipped again, then enabled
  EXPECT_EQ(equipped, 4);
  EXPECT_EQ(enabled, 4);
  home->Destroy();
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
}

TEST_F(HomeOnFakeTest, AnActivationThatFailsDestroysTheHomeAndNamesTheNode) {
  std::atomic<int> enabled{0};
  registry_.Register("Counted", [&enabled](const NodeSpec&) { return std::make_unique<Counted>(enabled); });
  auto home = VirtualHome::Prepare(Options(), {NodeSpec::Named("good").WithCapability("Counted"), NodeSpec::Named("bad").WithCapability("Counted")});
  Error error = ErrorFrom([&] { home->Activate("kitchen"); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'bad'"), HasSubstr("bad refuses")));  // as Create words it
  EXPECT_TRUE(home->destroyed());
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
}

TEST_F(HomeOnFakeTest, ACreatedHomeCannotBeActivated) {
  auto home = VirtualHome::Create(Options(), Nodes({"hub"}));
  EXPECT_EQ(ErrorFrom([&] { home->Activate("x"); }).code(), ErrorCode::kFailedPrecondition);
}

// Which call of the engine fails, and what must still hold: nothing of the
// home is left, and the error says why (and, per home.h, which node).
struct InjectedFailure {
  const char* operation;
  int nth;
};
void PrintTo(const InjectedFailure& failure, std::ostream* out) {
  *out << "call " << failure.nth << " of " << failure.operation;
}

class HomeRollbackTest : public HomeOnFakeTest, public ::testing::WithParamInterface<InjectedFailure> {
 protected:
  // Creates a three-node home with the parameter's failure injected.
  Error FailedCreate() {
    fake_.FailCall(GetParam().operation, GetParam().nth, Error(ErrorCode::kInternal, "injected: engine said no"));
    return ErrorFrom([&] { VirtualHome::Create(Options(), Nodes({"hub", "sensor", "lamp"})); });
  }
};

TEST_P(HomeRollbackTest, CreateRollsBackEverythingAndReportsTheCause) {
  Error error = FailedCreate();
  EXPECT_THAT(error.what(), HasSubstr("injected: engine said no"));
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
  // Every node container that was created was removed again.
  EXPECT_EQ(fake_.CallCount("RemoveContainer"), static_cast<int>(fake_.CreatedContainers().size()));
}

// home.h promises an error "naming the node and the cause": the engine's
// message names a container id at best.
TEST_P(HomeRollbackTest, ErrorNamesTheFailedNode) {
  const std::string text = FailedCreate().what();
  // The nodes are made in parallel, so the nth call is any one node's.
  bool names_a_node = false;
  for (const char* node : {"hub", "sensor", "lamp"}) {
    names_a_node = names_a_node || text.find(std::string("node '") + node + "'") != std::string::npos;
  }
  EXPECT_TRUE(names_a_node) << text;
}

INSTANTIATE_TEST_SUITE_P(EachStep, HomeRollbackTest,
                         ::testing::Values(InjectedFailure{"CreateContainer", 1}, InjectedFailure{"CreateContainer", 3},
                                           InjectedFailure{"StartContainer", 2}),
                         [](const ::testing::TestParamInfo<InjectedFailure>& info) {
                           return std::string(info.param.operation) + std::to_string(info.param.nth);
                         });

// A home with "hub", to which AddNodes adds lamp, sensor and door, of which
// lamp and door fail (whichever order they are made in) while `failing`.
class TwoOfThreeFailTest : public HomeOnFakeTest {
 protected:
  void SetUp() override {
    HomeOnFakeTest::SetUp();
    home_ = VirtualHome::Create(Options(), Nodes({"hub"}));
    fake_.BeforeCall([this](const std::string& operation, const std::string& target) {
      if (!failing_ || operation != "CreateContainer") return;
      if (target.ends_with("-lamp")) throw Error(ErrorCode::kInternal, "injected failure one");
      if (target.ends_with("-door")) throw Error(ErrorCode::kConflict, "injected failure two");
    });
  }

  std::unique_ptr<VirtualHome> home_;
  std::atomic<bool> failing_{true};
};

TEST_F(TwoOfThreeFailTest, BothCausesAreReportedAndTheFailedNamesCanBeRetried) {
  Error error = ErrorFrom([&] { home_->AddNodes(Nodes({"lamp", "sensor", "door"})); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("injected failure one"), HasSubstr("injected failure two"),
                                  HasSubstr("2 failures")));
  // The node that was made stays; the failed ones left the home.
  EXPECT_THAT(home_->NodeNames(), ElementsAre("hub", "sensor"));
  EXPECT_EQ(LabelledContainers(fake_), 2);

  failing_ = false;
  home_->AddNodes(Nodes({"lamp", "door"}));
  EXPECT_THAT(home_->NodeNames(), ElementsAre("door", "hub", "lamp", "sensor"));
  EXPECT_EQ(LabelledContainers(fake_), 4);
  home_->Destroy();
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

// The aggregate names both failed nodes, and not the one that was made.
TEST_F(TwoOfThreeFailTest, TheErrorNamesBothFailedNodes) {
  Error error = ErrorFrom([&] { home_->AddNodes(Nodes({"lamp", "sensor", "door"})); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'lamp'"), HasSubstr("node 'door'")));
  EXPECT_THAT(error.what(), ::testing::Not(HasSubstr("node 'sensor'")));
}

TEST_F(HomeOnFakeTest, DestroyIsIdempotentAndListsEveryFailure) {
  auto home = VirtualHome::Create(Options(), Nodes({"hub", "sensor", "lamp"}));
  const int removals = fake_.CallCount("RemoveContainer");
  fake_.FailCall("RemoveContainer", removals + 1, Error(ErrorCode::kInternal, "injected: container busy one"));
  fake_.FailCall("RemoveContainer", removals + 2, Error(ErrorCode::kInternal, "injected: container busy two"));
  fake_.FailCall("RemoveNetwork", fake_.CallCount("RemoveNetwork") + 1,
                 Error(ErrorCode::kInternal, "injected: network busy"));
  Error error = ErrorFrom([&] { home->Destroy(); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("injected: container busy one"), HasSubstr("injected: container busy two"),
                                  HasSubstr("injected: network busy"), HasSubstr(home->id())));
  EXPECT_TRUE(home->destroyed());
  // The sweep by label took the two containers whose removal failed; the
  // network it could not remove is still there, as reported.
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 1);

  const std::map<std::string, int> calls = fake_.CallCounts();
  home->Destroy();  // a no-op: no throw, no engine call
  EXPECT_EQ(fake_.CallCounts(), calls);
}

// A capability that needs a device the engine's host may lack.
class DongleCapability : public Capability {
 public:
  std::string name() const override { return "Dongle"; }
  std::vector<Requirement> Requirements() const override {
    return {{.kind = Requirement::Kind::kEngineFeature,
             .name = "zigbee-radio",
             .why = "to talk to zigbee sensors",
             .probe = "test -e /dev/zigbee",
             .fix = "plug the dongle"}};
  }
};

// Finds in Prepare that what it needs is missing (as Thread does when no
// OpenThread was given): every node with it fails the same way.
class NeedsFirmware : public Capability {
 public:
  std::string name() const override { return "NeedsFirmware"; }
  void Prepare(HomeContext&) override {
    throw UnmetRequirementError("the firmware image is not built; fix: build it", {"firmware"});
  }
};

TEST_F(HomeOnFakeTest, SeveralNodesMissingOneThingIsStillAnUnmetRequirement) {
  registry_.Register("NeedsFirmware", [](const NodeSpec&) { return std::make_unique<NeedsFirmware>(); });
  std::vector<NodeSpec> nodes = {NodeSpec::Named("leader").WithCapability("NeedsFirmware"),
                                 NodeSpec::Named("child").WithCapability("NeedsFirmware")};
  try {
    VirtualHome::Create(Options(), nodes);
    FAIL() << "expected UnmetRequirementError";
  } catch (const UnmetRequirementError& unmet) {
    EXPECT_THAT(unmet.what(), AllOf(HasSubstr("2 failures"), HasSubstr("fix: build it")));
    EXPECT_THAT(unmet.missing(), ElementsAre("firmware"));
  }
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

TEST_F(HomeOnFakeTest, UnmetRequirementNamesNodeCapabilityFeatureWhyAndFix) {
  registry_.Register("Dongle", [](const NodeSpec&) { return std::make_unique<DongleCapability>(); });
  std::vector<NodeSpec> nodes = {NodeSpec::Named("coordinator").WithCapability("Dongle"), NodeSpec::Named("plain")};
  try {
    VirtualHome::Create(Options({{"zigbee-radio", false}}), nodes);
    FAIL() << "expected UnmetRequirementError";
  } catch (const UnmetRequirementError& unmet) {
    EXPECT_THAT(unmet.what(), AllOf(HasSubstr("node 'coordinator'"), HasSubstr("Dongle"), HasSubstr("zigbee-radio"),
                                    HasSubstr("to talk to zigbee sensors"), HasSubstr("plug the dongle"),
                                    HasSubstr(testing::kFakeKernel)));
    EXPECT_THAT(unmet.missing(), ElementsAre("zigbee-radio"));
    EXPECT_EQ(unmet.code(), ErrorCode::kFailedPrecondition);
  }
  // The probe asked the question; the nodes started beside it (on a slow
  // engine a probe takes seconds) are gone again.
  EXPECT_THAT(CreatedWithRole(fake_, "probe"), ::testing::SizeIs(1));
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(LabelledNetworks(fake_), 0);
}

TEST_F(HomeOnFakeTest, AnUnmetRequirementKnownAlreadyMakesNothing) {
  registry_.Register("Dongle", [](const NodeSpec&) { return std::make_unique<DongleCapability>(); });
  std::vector<NodeSpec> nodes = {NodeSpec::Named("coordinator").WithCapability("Dongle")};
  EXPECT_THROW(VirtualHome::Create(Options({{"zigbee-radio", false}}), nodes), UnmetRequirementError);
  const size_t nodes_made = CreatedWithRole(fake_, "node").size();
  EXPECT_THROW(VirtualHome::Create(Options({{"zigbee-radio", false}}), nodes), UnmetRequirementError);
  // The answer came from the first home's probe: no second probe, no node.
  EXPECT_THAT(CreatedWithRole(fake_, "probe"), ::testing::SizeIs(1));
  EXPECT_EQ(CreatedWithRole(fake_, "node").size(), nodes_made);
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

TEST_F(HomeOnFakeTest, MetRequirementLetsTheHomeBeMade) {
  registry_.Register("Dongle", [](const NodeSpec&) { return std::make_unique<DongleCapability>(); });
  auto home = VirtualHome::Create(Options({{"zigbee-radio", true}}), {NodeSpec::Named("coordinator").WithCapability("Dongle")});
  EXPECT_TRUE(home->engine().Has("zigbee-radio"));
  EXPECT_THAT(CreatedWithRole(fake_, "node"), ElementsAre(::testing::HasSubstr("-coordinator")));
}

// A helper of the home's own, named and labelled as a home names its
// helpers: the same kind of name as the radio medium's ("radios").
class HelperContainer : public HomeResource {
 public:
  HelperContainer(HomeContext& home, const std::string& role) : client_(home.client()) {
    docker::ContainerSpec spec;
    spec.image = testing::kFakeHelperImage;
    spec.name = home.ResourceName(role);
    spec.labels = home.ResourceLabels(role);
    id_ = client_.CreateContainer(spec);
    client_.StartContainer(id_);
  }
  ~HelperContainer() override {
    try {
      client_.RemoveContainer(id_, true);
    } catch (const std::exception&) {
      // Labelled: the reaper removes it.
    }
  }

 private:
  docker::DockerClient& client_;
  std::string id_;
};

// Starts the home's host agent (through HostExec) and a "radios" helper.
class HelperUser : public Capability {
 public:
  std::string name() const override { return "HelperUser"; }
  void Prepare(HomeContext& home) override {
    home.Resource<HelperContainer>("test.radios", [&home] { return std::make_unique<HelperContainer>(home, "radios"); });
  }
  void Enable(NodeRuntime& node) override { node.HostExec({"true"}); }
};

TEST_F(HomeOnFakeTest, NodesNamedLikeTheHomesHelpersDoNotCollideWithThem) {
  registry_.Register("HelperUser", [](const NodeSpec&) { return std::make_unique<HelperUser>(); });
  auto home = VirtualHome::Create(Options(), {NodeSpec::Named("agent").WithCapability("HelperUser"),
                                              NodeSpec::Named("radios").WithCapability("HelperUser")});
  std::set<std::string> names;
  for (const auto& container : fake_.LiveContainers()) names.insert(container.name);
  const std::string prefix = "cirque-" + home->id();
  EXPECT_THAT(names, UnorderedElementsAre(prefix + ".agent", prefix + ".radios", prefix + "-agent", prefix + "-radios"));
  EXPECT_EQ(home->node("agent").Exec({"true"}).exit_code, 0);
  home->Destroy();
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

// Puts one rule on the engine's host for its node.
class RuleUser : public Capability {
 public:
  std::string name() const override { return "RuleUser"; }
  void Enable(NodeRuntime& node) override { node.host_rules().Insert(1, {"-s", "10.200.5.0/24", "-j", "DROP"}); }
};

// A run killed after its containers went and before its rules did leaves
// rules that nothing labelled leads to; the next home to put a rule on the
// host removes them, and nothing of a live owner or another host.
TEST_F(HomeOnFakeTest, TheFirstRuleOfAHomeSweepsRulesOfGoneOwners) {
  testing::IptablesModel iptables;
  fake_.OnExec([&iptables](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    if (call.argv.empty() || call.argv[0] != "iptables-nft") return std::nullopt;
    if (call.argv.back() == "DOCKER-USER") return docker::ExecResult{.exit_code = 0};
    return iptables.Run(call.argv);
  });
  OwnerIdentity gone = CurrentOwner();
  gone.start_time += 1;
  HostRules(iptables.AsExec(), "iptables-nft", "ghosthome", gone.ToString()).Append({"-j", "DROP"});
  HostRules(iptables.AsExec(), "iptables-nft", "livehome", CurrentOwner().ToString()).Append({"-j", "DROP"});
  HostRules(iptables.AsExec(), "iptables-nft", "farhome", "another-host:1:1").Append({"-j", "DROP"});
  registry_.Register("RuleUser", [](const NodeSpec&) { return std::make_unique<RuleUser>(); });

  auto home = VirtualHome::Create(Options(), {NodeSpec::Named("n").WithCapability("RuleUser")});
  std::vector<std::string> homes;
  for (const auto& rule : iptables.Rules()) homes.push_back(rule.comment.substr(0, rule.comment.find(" owner=")));
  EXPECT_THAT(homes, ElementsAre("cirque home=" + home->id(), "cirque home=livehome", "cirque home=farhome"));
  home->Destroy();
  EXPECT_EQ(iptables.Rules().size(), 2u);
}

}  // namespace
}  // namespace cirque::home

namespace cirque::home {
namespace {

// A copy that fails half-way (a full disk) leaves no partial file: the node
// removes it and says so, naming the node and the path.
TEST(NodeOnFakeTest, WriteFileThatFailsRemovesThePartialFile) {
  engine::ForgetEngineFacts();
  docker::testing::FakeDockerClient fake;
  CapabilityRegistry registry;
  auto home = VirtualHome::Create(testing::HomeOptionsOnFake(fake, registry, {}), {NodeSpec::Named("n")});
  fake.FailNextCall("CopyToContainer",
                    Error(ErrorCode::kInternal, "write /data/big.bin: no space left on device"));
  Error error = ErrorFrom([&] { home->node("n").WriteFile("/data/big.bin", "x"); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'n'"), HasSubstr("'/data/big.bin'"),
                                  HasSubstr("no space left on device"), HasSubstr("partial file was removed")));
  EXPECT_THAT(fake.ExecArgvs().back(), ElementsAre("rm", "-f", "--", "/data/big.bin"));
}

}  // namespace
}  // namespace cirque::home
