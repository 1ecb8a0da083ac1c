// Covers the reaper's choice (PlanReaping, pure) and its acts on the
// in-memory engine (ReapDeadRuns): only what a dead run of this host left
// is removed, agents come first (a stopped one is started again to remove
// its home's rules), a dead home without an agent gets its rules removed by
// a temporary agent, and nothing unlabelled, alive or foreign is touched.
#include "cirque_test/home/reaper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/testing/iptables_model.h"

namespace cirque::home {
namespace {

using docker::testing::FakeDockerClient;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A process of this host that does not exist.
OwnerIdentity DeadOwner() {
  int pid = 999999;
  while (std::filesystem::exists("/proc/" + std::to_string(pid))) ++pid;
  return OwnerIdentity{CurrentOwner().host, pid, 1};
}

docker::Labels Owned(const std::string& owner, const std::string& home, const std::string& role) {
  return {{kOwnerLabel, owner}, {kHomeLabel, home}, {kRunLabel, "run0"}, {kRoleLabel, role}};
}

// A scene with every kind of resource the reaper must tell apart.
struct Scene {
  Scene() {
    live = CurrentOwner().ToString();
    dead = DeadOwner().ToString();
  }
  std::string live, dead;
  // name -> labels
  std::vector<std::pair<std::string, docker::Labels>> containers() const {
    return {{"live-node", Owned(live, "livehome", "node")},
            {"dead-node", Owned(dead, "deadhome", "node")},
            {"dead-agent", Owned(dead, "deadhome", "agent")},
            {"orphan-node", Owned(dead, "orphanhome", "node")},
            {"dead-probe", Owned(dead, "probe-1a2b", "probe")},
            {"unlabelled", {}},
            {"foreign", Owned("another-host:12:34", "farhome", "node")},
            {"garbled", {{kOwnerLabel, "not an owner"}, {kHomeLabel, "x"}}}};
  }
  std::vector<std::pair<std::string, docker::Labels>> networks() const {
    return {{"live-net", Owned(live, "livehome", "network")},
            {"dead-net", Owned(dead, "deadhome", "network")},
            {"orphan-net", Owned(dead, "orphanhome", "network")},
            {"plain-net", {}}};
  }
};

std::vector<std::string> Names(const std::vector<docker::ContainerSummary>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.name);
  return names;
}

TEST(PlanReapingTest, ChoosesOnlyDeadRunsAgentsFirstAndListsHomesWithoutAgent) {
  Scene scene;
  ASSERT_FALSE(OwnerIsAlive(*OwnerIdentity::Parse(scene.dead)));
  std::vector<docker::ContainerSummary> containers;
  for (const auto& [name, labels] : scene.containers()) {
    containers.push_back({.id = "id-" + name, .name = name, .image = "img", .state = "running", .labels = labels});
  }
  std::vector<docker::NetworkInfo> networks;
  for (const auto& [name, labels] : scene.networks()) networks.push_back({.id = "id-" + name, .name = name, .labels = labels});

  ReapPlan plan = PlanReaping(containers, networks);
  EXPECT_THAT(Names(plan.containers), ElementsAre("dead-agent", "dead-node", "orphan-node", "dead-probe"));
  EXPECT_THAT(Names(plan.agents), ElementsAre("dead-agent"));
  std::vector<std::string> network_names;
  for (const auto& network : plan.networks) network_names.push_back(network.name);
  EXPECT_THAT(network_names, ElementsAre("dead-net", "orphan-net"));
  // A probe's "home" is a one-off helper's: it has no rules to remove.
  EXPECT_THAT(plan.homes_without_agent, ElementsAre("orphanhome"));
}

TEST(PlanReapingTest, NothingToDoWhenAllAreAlive) {
  Scene scene;
  docker::ContainerSummary live{.id = "1", .name = "a", .labels = Owned(scene.live, "h", "agent")};
  ReapPlan plan = PlanReaping({live}, {});
  EXPECT_THAT(plan.containers, IsEmpty());
  EXPECT_THAT(plan.agents, IsEmpty());
  EXPECT_THAT(plan.homes_without_agent, IsEmpty());
}

TEST(PlanReapingTest, AServicesHomesWaitForItUnlessTheCallerSaysItIsGone) {
  // A killed service's homes are adopted when it starts again: the reaper
  // every home runs leaves them; `cirque reap` and `serve --reap` name it.
  const std::string service = "service@" + CurrentOwner().host + ":/var/lib/cirque/serve-5000";
  docker::ContainerSummary node{.id = "1", .name = "svc-node", .labels = Owned(service, "svchome", "node")};
  EXPECT_THAT(PlanReaping({node}, {}).containers, IsEmpty());
  ReapPlan named = PlanReaping({node}, {}, [&service](const std::string& owner) { return owner == service; });
  EXPECT_THAT(Names(named.containers), ElementsAre("svc-node"));
  EXPECT_THAT(named.homes_without_agent, ElementsAre("svchome"));
}

class ReapDeadRunsTest : public ::testing::Test {
 protected:
  ReapDeadRunsTest() {
    fake_.AddImage("img");
    fake_.AddImage("helper");
    for (const auto& [name, labels] : scene_.containers()) {
      docker::ContainerSpec spec;
      spec.image = "img";
      spec.name = name;
      spec.labels = labels;
      ids_[name] = fake_.CreateContainer(spec);
      // The dead agent is stopped, as after an engine restart.
      if (name != "dead-agent") fake_.StartContainer(ids_[name]);
    }
    for (const auto& [name, labels] : scene_.networks()) {
      fake_.CreateNetwork({.name = name, .labels = labels});
    }
    // The engine host's iptables: two rules of the dead home, one of the
    // home without agent, one of the live home.
    for (const auto& [home, owner] : std::vector<std::pair<std::string, std::string>>{
             {"deadhome", scene_.dead}, {"deadhome", scene_.dead}, {"orphanhome", scene_.dead}, {"livehome", scene_.live}}) {
      HostRules(iptables_.AsExec(), "iptables-nft", home, owner).Append({"-s", "10.200.9.0/24", "-j", "DROP"});
    }
    // Agents answer iptables from the model; iptables-nft holds Docker's chain.
    fake_.OnExec([this](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
      if (call.argv.empty() || call.argv[0] != "iptables-nft") return std::nullopt;
      if (call.argv.back() == "DOCKER-USER") return docker::ExecResult{.exit_code = 0};
      return iptables_.Run(call.argv);
    });
  }

  std::vector<std::string> LiveNames() {
    std::vector<std::string> names;
    for (const auto& container : fake_.LiveContainers()) names.push_back(container.name);
    return names;
  }
  std::vector<std::string> RuleHomes() {
    std::vector<std::string> homes;
    for (const auto& rule : iptables_.Rules()) homes.push_back(rule.comment.substr(0, rule.comment.find(" owner=")));
    return homes;
  }

  Scene scene_;
  FakeDockerClient fake_;
  testing::IptablesModel iptables_;
  std::map<std::string, std::string> ids_;  // container name -> id
};

TEST_F(ReapDeadRunsTest, RemovesExactlyTheDeadRunsResourcesAndTheirAgentsRules) {
  std::vector<std::string> order;  // what happened to the dead agent, in order
  fake_.BeforeCall([&](const std::string& operation, const std::string& target) {
    if (target == ids_["dead-agent"]) order.push_back(operation);
  });
  ReapReport report = ReapDeadRuns(fake_);
  // The agent first (the engine lists the rest newest first).
  EXPECT_THAT(report.containers, UnorderedElementsAre("dead-agent", "dead-node", "orphan-node", "dead-probe"));
  ASSERT_FALSE(report.containers.empty());
  EXPECT_EQ(report.containers.front(), "dead-agent");
  EXPECT_THAT(report.networks, UnorderedElementsAre("dead-net", "orphan-net"));
  EXPECT_EQ(report.host_rules, 2);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(LiveNames(), UnorderedElementsAre("live-node", "unlabelled", "foreign", "garbled"));
  std::vector<std::string> networks;
  for (const auto& network : fake_.LiveNetworks()) networks.push_back(network.name);
  EXPECT_THAT(networks, UnorderedElementsAre("bridge", "host", "none", "live-net", "plain-net"));
  // Without a helper image the agentless home's rule stays; the live one's too.
  EXPECT_THAT(RuleHomes(), ElementsAre("cirque home=orphanhome", "cirque home=livehome"));
  // Started again, asked, then removed.
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(order.front(), "StartContainer");
  EXPECT_EQ(order.back(), "RemoveContainer");
  EXPECT_GE(std::count(order.begin(), order.end(), std::string("Exec")), 3);  // find iptables, list, delete x2
}

TEST_F(ReapDeadRunsTest, ATemporaryAgentRemovesTheRulesOfAHomeWithoutAgent) {
  ReapReport report = ReapDeadRuns(fake_, "helper");
  EXPECT_EQ(report.host_rules, 3);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(RuleHomes(), ElementsAre("cirque home=livehome"));
  // The temporary agent was made from the helper image and is gone again.
  int temporary = 0;
  for (const auto& created : fake_.CreatedContainers()) {
    if (created.spec.labels.count(kRoleLabel) != 0 && created.spec.labels.at(kRoleLabel) == "reaper-agent") {
      ++temporary;
      EXPECT_EQ(created.spec.image, "helper");
      EXPECT_EQ(created.spec.network.network_mode, "host");
    }
  }
  EXPECT_EQ(temporary, 1);
  EXPECT_THAT(LiveNames(), UnorderedElementsAre("live-node", "unlabelled", "foreign", "garbled"));
}

// A run killed after its containers and networks went, before its rules
// did: only the rule's comment is left to lead to it.
TEST_F(ReapDeadRunsTest, SweepingRemovesRulesOfGoneOwnersThatLeftNothingLabelled) {
  HostRules(iptables_.AsExec(), "iptables-nft", "ghosthome", scene_.dead).Append({"-s", "10.200.8.0/24", "-j", "DROP"});
  HostRules(iptables_.AsExec(), "iptables-nft", "farhome", "another-host:12:34").Append({"-j", "DROP"});

  ReapDeadRuns(fake_, "helper");
  EXPECT_THAT(RuleHomes(), ElementsAre("cirque home=livehome", "cirque home=ghosthome", "cirque home=farhome"));

  ReapReport swept = ReapDeadRuns(fake_, "helper", /*sweep_rules=*/true);
  EXPECT_EQ(swept.host_rules, 1);
  EXPECT_THAT(swept.problems, IsEmpty());
  EXPECT_THAT(RuleHomes(), ElementsAre("cirque home=livehome", "cirque home=farhome"));
  EXPECT_THAT(LiveNames(), UnorderedElementsAre("live-node", "unlabelled", "foreign", "garbled"));
}

// Another process's reaper is removing dead-node when this one asks: the
// engine answers 409 "already in progress"; this reaper waits for it to go
// (its network can only go after it) and reports no problem.
TEST_F(ReapDeadRunsTest, AContainerAnotherReaperIsRemovingIsWaitedForNotReported) {
  const std::string node = ids_["dead-node"];
  int removals = 0, inspections = 0;
  fake_.BeforeCall([&](const std::string& operation, const std::string& target) {
    if (target != node) return;
    if (operation == "RemoveContainer" && ++removals == 1) {
      throw Error(ErrorCode::kConflict, "removal of container " + node + " is already in progress");
    }
    // The other reaper finishes just before this one's third look.
    if (operation == "InspectContainer" && ++inspections == 3) fake_.RemoveContainer(node, true);
  });
  ReapReport report = ReapDeadRuns(fake_);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(report.containers, UnorderedElementsAre("dead-agent", "orphan-node", "dead-probe"));
  EXPECT_THAT(report.networks, UnorderedElementsAre("dead-net", "orphan-net"));
  EXPECT_THAT(LiveNames(), UnorderedElementsAre("live-node", "unlabelled", "foreign", "garbled"));
  EXPECT_EQ(inspections, 3);  // two while it was there, one that found it gone
}

// Any other conflict is a problem, reported with the engine's message.
TEST_F(ReapDeadRunsTest, AnotherConflictIsReported) {
  fake_.BeforeCall([&](const std::string& operation, const std::string& target) {
    if (operation == "RemoveContainer" && target == ids_["dead-node"]) {
      throw Error(ErrorCode::kConflict, "container is paused");
    }
  });
  ReapReport report = ReapDeadRuns(fake_);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_THAT(report.problems[0], ::testing::HasSubstr("container is paused"));
}

TEST_F(ReapDeadRunsTest, ASecondRunFindsNothing) {
  ReapDeadRuns(fake_, "helper");
  ReapReport again = ReapDeadRuns(fake_, "helper");
  EXPECT_THAT(again.containers, IsEmpty());
  EXPECT_THAT(again.networks, IsEmpty());
  EXPECT_EQ(again.host_rules, 0);
}

}  // namespace
}  // namespace cirque::home
