// Covers a home's life against the real engine: several nodes made in
// parallel ping each other and their gateway; nodes added, removed and
// restarted while it runs; background execs (Cirque had none); queries;
// destroy removes exactly what the home made, and may be called twice.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/error.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

class ThreeNodeHomeTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {NodeSpec::Named("hub"), NodeSpec::Named("sensor"), NodeSpec::Named("lamp")};
  }
};

TEST_F(ThreeNodeHomeTest, NodesPingEachOtherAndTheGateway) {
  for (const char* from : {"hub", "sensor", "lamp"}) {
    for (const char* to : {"hub", "sensor", "lamp"}) {
      if (std::string(from) != to) {
        EXPECT_PING(node(from), node(to));
      }
    }
    EXPECT_PING(node(from), node(from).gateway());
  }
}

TEST_F(ThreeNodeHomeTest, NodesReachEachOtherByName) {
  EXPECT_EXEC_OK(node("sensor"), {"ping", "-c", "1", "-W", "2", "hub"});
}

TEST_F(ThreeNodeHomeTest, DescribesNodesAndNetworks) {
  home::HomeDescription description = home().Describe();
  EXPECT_EQ(description.id, home().id());
  EXPECT_THAT(description.nodes, SizeIs(3));
  ASSERT_EQ(description.networks.count("default"), 1u);
  for (const auto& node_description : description.nodes) {
    EXPECT_EQ(node_description.state, "running");
    EXPECT_THAT(node_description.ipv4_address, ::testing::StartsWith("10.2"));
    EXPECT_THAT(node_description.image, HasSubstr("cirque/generic:"));
  }
}

TEST_F(ThreeNodeHomeTest, AddsAndRemovesNodesWhileRunning) {
  home::Node& added = home().AddNode(NodeSpec::Named("doorbell"));
  EXPECT_PING(added, node("hub"));
  EXPECT_THAT(home().NodeNames(), UnorderedElementsAre("doorbell", "hub", "lamp", "sensor"));
  std::string removed_address = node("lamp").ipv4_address();
  home().RemoveNode("lamp");
  EXPECT_THAT(home().NodeNames(), UnorderedElementsAre("doorbell", "hub", "sensor"));
  EXPECT_NO_PING(node("hub"), removed_address);
  try {
    home().node("lamp");
    FAIL() << "a removed node is still there";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("doorbell, hub, sensor"));
  }
}

TEST_F(ThreeNodeHomeTest, RestartedNodeComesBack) {
  home().RestartNode("sensor");
  EXPECT_EQ(node("sensor").Describe().state, "running");
  EXPECT_PING(node("sensor"), node("hub"));
}

TEST_F(ThreeNodeHomeTest, RunsBackgroundProcesses) {
  std::string exec_id = node("hub").ExecBackground(
      {"sh", "-c", "echo started > /tmp/daemon; exec sleep 30"});
  EXPECT_TRUE(node("hub").BackgroundState(exec_id).running);
  EXPECT_THAT(RunOn(node("hub"), {"sh", "-c", "until [ -s /tmp/daemon ]; do sleep 0.05; done; cat /tmp/daemon"}),
              StdoutHas("started"));
  EXPECT_THAT(RunOn(node("hub"), {"ps", "-eo", "args"}), StdoutHas("sleep 30"));
}

TEST_F(ThreeNodeHomeTest, NonZeroExitIsAResultNotAnError) {
  CommandResult result = RunOn(node("hub"), {"sh", "-c", "echo oops >&2; exit 3"});
  EXPECT_THAT(result, ExitedWith(3));
  EXPECT_EQ(result.stderr_text, "oops\n");
}

TEST_F(ThreeNodeHomeTest, StreamsExecOutput) {
  std::string streamed;
  docker::ExecSpec spec;
  spec.cmd = {"sh", "-c", "echo one; echo two"};
  spec.on_output = [&](docker::OutputStream, std::string_view data) { streamed += data; };
  node("lamp").Exec(spec);
  EXPECT_EQ(streamed, "one\ntwo\n");
}

TEST_F(ThreeNodeHomeTest, LogsWithTail) {
  home().AddNode(NodeSpec::Named("chatty").Running({"sh", "-c", "for i in 1 2 3; do echo line$i; done; exec sleep infinity"}));
  // The log is complete once the node sleeps.
  ASSERT_EXEC_OK(node("chatty"), {"sh", "-c", "until pgrep -x sleep >/dev/null; do sleep 0.05; done"});
  EXPECT_EQ(node("chatty").Logs().stdout_text, "line1\nline2\nline3\n");
  EXPECT_EQ(node("chatty").Logs({.tail = 1}).stdout_text, "line3\n");
}

TEST(HomeLifecycleTest, DestroyRemovesEverythingAndMayBeCalledTwice) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  auto home = home::VirtualHome::Create(environment.HomeOptionsFor("destroy-twice"),
                                        {NodeSpec::Named("a"), NodeSpec::Named("b").OnNetwork(HomeNetwork::kInternal)});
  const std::string id = home->id();
  docker::LabelFilter mine = {{home::kHomeLabel, id}};
  // Two nodes, and the host agent that guards the Internal network.
  EXPECT_THAT(environment.client().ListContainers({{home::kHomeLabel, id}, {home::kRoleLabel, "node"}}), SizeIs(2));
  EXPECT_THAT(environment.client().ListContainers({{home::kHomeLabel, id}, {home::kRoleLabel, "agent"}}), SizeIs(1));
  EXPECT_THAT(environment.client().ListNetworks(mine), SizeIs(2));
  home->Destroy();
  EXPECT_TRUE(home->destroyed());
  EXPECT_NO_THROW(home->Destroy());
  EXPECT_THAT(environment.client().ListContainers(mine), SizeIs(0));
  EXPECT_THAT(environment.client().ListNetworks(mine), SizeIs(0));
}

TEST(HomeLifecycleTest, FailedSetUpRemovesWhatWasMade) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  home::HomeOptions options = environment.HomeOptionsFor("half-made");
  std::vector<NodeSpec> nodes = {NodeSpec::Named("fine"),
                                 NodeSpec::Named("broken").Image("cirque-test/no-such-image:never")};
  std::string home_id;
  try {
    home::VirtualHome::Create(options, nodes);
    FAIL() << "a node with a missing image was made";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("no-such-image"));
  }
  // Nothing of a home named half-made is left: look for its containers.
  for (const auto& container : environment.client().ListContainers({{home::kRunLabel, home::CurrentRunId()}})) {
    EXPECT_THAT(container.name, ::testing::Not(HasSubstr("-fine"))) << "left behind: " << container.name;
  }
}

TEST(HomeLifecycleTest, LeavesOtherPeoplesResourcesAlone) {
  // Cirque pruned every stopped container and unused network on the host.
  runtime::Runtime& environment = CirqueEnvironment::Get();
  docker::DockerClient& client = environment.client();
  docker::ContainerSpec bystander;
  bystander.image = environment.ResolveImage("generic");
  bystander.name = "bystander-" + home::NewId();
  bystander.labels = {{"cirque.test", "bystander"}};
  std::string stopped = client.CreateContainer(bystander);  // created, never started
  std::string network = client.CreateNetwork({.name = "bystander-" + home::NewId(), .labels = {{"cirque.test", "bystander"}}});
  {
    auto home = home::VirtualHome::Create(environment.HomeOptionsFor("neighbour"), {NodeSpec::Named("n")});
    home->Destroy();
  }
  home::ReapDeadRuns(client);
  EXPECT_NO_THROW(client.InspectContainer(stopped));
  EXPECT_NO_THROW(client.InspectNetwork(network));
  client.RemoveContainer(stopped, true);
  client.RemoveNetwork(network);
}

}  // namespace
}  // namespace cirque::testing

namespace cirque::testing {
namespace {

TEST(FailureOutputsTest, SavesEachNodesLogAndTheHomeDescription) {
  auto home = home::VirtualHome::Create(
      CirqueEnvironment::Get().HomeOptionsFor("outputs"),
      {NodeSpec::Named("talker").Running({"sh", "-c", "echo hello from talker; exec sleep infinity"})});
  ASSERT_EXEC_OK(home->node("talker"), {"sh", "-c", "until pgrep -x sleep >/dev/null; do sleep 0.05; done"});
  std::string dir = SaveHomeLogs(*home, "FailureOutputsTest.Saves");
  ASSERT_NE(dir, "") << "TEST_UNDECLARED_OUTPUTS_DIR is not set under bazel test";
  std::ifstream log(dir + "/talker.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "hello from talker\n");
  std::ifstream summary(dir + "/home.txt");
  std::string summary_text((std::istreambuf_iterator<char>(summary)), std::istreambuf_iterator<char>());
  EXPECT_THAT(summary_text, ::testing::HasSubstr("node talker: running"));
}

}  // namespace
}  // namespace cirque::testing

namespace cirque::testing {
namespace {

// One home for the whole suite: both tests see the same nodes.
class SharedHubTest : public SharedHomeTest {
 protected:
  static void SetUpTestSuite() {
    MakeSharedHome("shared-hub", {NodeSpec::Named("hub"), NodeSpec::Named("probe")});
  }
};

std::string first_seen_id;

TEST_F(SharedHubTest, FirstTestSeesTheHome) {
  first_seen_id = shared_home().id();
  EXPECT_PING(node("probe"), node("hub"));
}

TEST_F(SharedHubTest, SecondTestSeesTheSameHome) {
  EXPECT_EQ(shared_home().id(), first_seen_id);
  EXPECT_EQ(node("hub").Describe().state, "running");
}

}  // namespace
}  // namespace cirque::testing
