// Thread networks on the real engine: nodes of one home form a network and
// ping across it; a restarted node comes back into it; petitions keep media
// of one home apart; two homes forming networks with the same dataset at
// the same time never hear each other.
#include <signal.h>

#include <future>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/file_io.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/assertions.h"
#include "fixtures/required_features.h"
#include "fixtures/thread_nodes.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class ThreeThreadNodesTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {ThreadNodeSpec("leader"), ThreadNodeSpec("router"), ThreadNodeSpec("child")};
  }
};

TEST_F(ThreeThreadNodesTest, FormAPartitionAndPingAcrossIt) {
  ThreadNode leader(node("leader")), router(node("router")), child(node("child"));
  std::string dataset = leader.FormNetwork();
  router.JoinNetwork(dataset);
  child.JoinNetwork(dataset);
  EXPECT_THREAD_ROLE(leader, "leader");
  EXPECT_THREAD_ROLE(router, AnyOf("child", "router"));
  EXPECT_THREAD_ROLE(child, AnyOf("child", "router"));
  EXPECT_THREAD_PARTITION({&leader, &router, &child});
  EXPECT_EQ(child.ActiveDataset(), dataset);
  EXPECT_PING(child, leader);
  EXPECT_PING(leader, child);
  EXPECT_PING(router, child);
  ThreadAddresses addresses = child.Addresses();
  EXPECT_THAT(addresses.mesh_local_eid, Not(IsEmpty()));
  EXPECT_EQ(addresses.link_local.rfind("fe80:", 0), 0u) << addresses.link_local;
  // The home describes each node's place on the medium.
  std::map<std::string, std::string> thread = node("child").Describe().capability_details.at("Thread");
  EXPECT_EQ(thread.at("radio"), "rcp");
  EXPECT_EQ(thread.at("device"), "/dev/ttyUSB0");
  EXPECT_THAT(thread.at("node_id"), AnyOf("1", "2", "3"));
}

// The medium's capture holds MLE (attaching) and, decrypted with the
// network key, the ICMPv6 echo over 6LoWPAN.
TEST_F(ThreeThreadNodesTest, TheCaptureHoldsMleAndTheMeshPing) {
  ThreadNode leader(node("leader")), child(node("child"));
  std::string dataset = leader.FormNetwork();
  child.JoinNetwork(dataset);
  ASSERT_THREAD_ROLE(child, AnyOf("child", "router"));
  ASSERT_PING(child, leader);
  const std::string pcap = std::string(std::getenv("TEST_TMPDIR")) + "/thread.pcap";
  WriteFile(pcap, child.Capture());
  const std::string key = "uat:ieee802154_keys:\"" + leader.NetworkKey() + "\",\"0\",\"Thread hash\"";
  ProcessResult mle = RunProcess({"tshark", "-r", pcap, "-Y", "mle"});
  ASSERT_EQ(mle.exit_code, 0) << mle.stderr_text;
  EXPECT_THAT(mle.stdout_text, HasSubstr("MLE")) << "no MLE frame in the capture";
  ProcessResult echo = RunProcess({"tshark", "-r", pcap, "-o", key, "-Y", "icmpv6.type == 128 || icmpv6.type == 129"});
  ASSERT_EQ(echo.exit_code, 0) << echo.stderr_text;
  EXPECT_THAT(echo.stdout_text, HasSubstr("Echo (ping) request")) << "no decrypted echo request in the capture";
  EXPECT_THAT(echo.stdout_text, HasSubstr("Echo (ping) reply"));
}

TEST_F(ThreeThreadNodesTest, ARestartedNodeComesBackIntoTheNetwork) {
  ThreadNode leader(node("leader")), child(node("child"));
  std::string dataset = leader.FormNetwork();
  child.JoinNetwork(dataset);
  ASSERT_THREAD_ROLE(child, AnyOf("child", "router"));
  home().RestartNode("child");
  ThreadNode again(node("child"));
  // The host stack kept its dataset in the node's own settings.
  EXPECT_EQ(again.ActiveDataset(), dataset);
  again.JoinNetwork(dataset);
  EXPECT_THREAD_ROLE(again, AnyOf("child", "router"));
  EXPECT_PING(again, leader);
}

class PetitionsTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {ThreadNodeSpec("a"), ThreadNodeSpec("b"), ThreadNodeSpec("far", {.petition = 1})};
  }
};

TEST_F(PetitionsTest, NodesOfAnotherPetitionNeverJoin) {
  ThreadNode a(node("a")), b(node("b")), far(node("far"));
  std::string dataset = a.FormNetwork();
  b.JoinNetwork(dataset);
  far.JoinNetwork(dataset);
  EXPECT_THREAD_PARTITION({&a, &b});
  // Alone on its medium, `far` ends up leading a partition of its own.
  ASSERT_THREAD_ROLE(far, "leader");
  EXPECT_NE(far.PartitionId(), a.PartitionId());
  EXPECT_THAT(Ping(far, a, 1, std::chrono::seconds(3)), Not(Replied()));
}

// Links: a line a - b - c (a and c never hear each other), cut in the
// middle, falls into two partitions; healed, it is one again. At time speed
// 10, so that a router notices its lost leader (120 s of Thread time) in 12 s.
class LineTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    ThreadSettings fast{.time_speed = 10};
    return {ThreadNodeSpec("a", fast), ThreadNodeSpec("b", fast), ThreadNodeSpec("c", fast)};
  }
};

TEST_F(LineTest, ACutSplitsThePartitionAndHealingMergesIt) {
  ThreadNode a(node("a")), b(node("b")), c(node("c"));
  CutThreadLink(a, c);
  std::string dataset = a.FormNetwork();
  b.JoinNetwork(dataset);
  c.JoinNetwork(dataset);
  ASSERT_THREAD_PARTITION({&a, &b, &c}, std::chrono::seconds(60));
  EXPECT_PING(c, a);  // through b

  CutThreadLink(b, c);
  // c, alone, ends up leading a partition of its own; a and b stay together.
  EXPECT_THREAD_ROLE(c, "leader");
  EXPECT_THREAD_PARTITION({&a, &b});
  EXPECT_NE(c.PartitionId(), a.PartitionId());
  EXPECT_THAT(Ping(c, a, 1, std::chrono::seconds(2)), Not(Replied()));

  HealThreadLink(b, c);
  EXPECT_THREAD_PARTITION({&a, &b, &c}, std::chrono::seconds(60));
  EXPECT_PING(c, a);
}

TEST_F(LineTest, LinkSettingsAreChecked) {
  ThreadNode a(node("a")), b(node("b"));
  EXPECT_THROW(SetThreadLinkLoss(a, b, 1.5), Error);
  EXPECT_THROW(SetThreadLinkLoss(a, a, 0.5), Error);
  SetThreadLinkLoss(a, b, 0.3);
  EXPECT_DOUBLE_EQ(a.capability().links().Loss("a", "b"), 0.3);
  SetThreadLinkLoss(a, b, 0.6);  // changed while running: the old rule is replaced
  EXPECT_DOUBLE_EQ(a.capability().links().Loss("b", "a"), 0.6);
  HealThreadLink(a, b);
  EXPECT_DOUBLE_EQ(a.capability().links().Loss("a", "b"), 0);
}

// Two homes made and run at once, forming networks from the same dataset:
// had they shared a medium, their nodes would join one partition.
TEST(ThreadHomesTest, TwoHomesWithTheSameDatasetStayApart) {
  runtime::Runtime& runtime = CirqueEnvironment::Get();
  auto make = [&runtime](const std::string& name) {
    return std::async(std::launch::async, [&runtime, name] {
      return runtime.MakeHome(name, {ThreadNodeSpec("leader"), ThreadNodeSpec("member")});
    });
  };
  auto first_made = make("thread-apart-a"), second_made = make("thread-apart-b");
  std::unique_ptr<home::VirtualHome> first, second;
  try {
    first = first_made.get();
    second = second_made.get();
  } catch (const home::UnmetRequirementError& unmet) {
    CIRQUE_SKIP_UNLESS_REQUIRED(unmet);
  }
  ThreadNode leader_a(first->node("leader")), member_a(first->node("member"));
  ThreadNode leader_b(second->node("leader")), member_b(second->node("member"));
  std::string dataset = leader_a.FormNetwork();
  auto formed_b = std::async(std::launch::async, [&] { return leader_b.FormNetwork(dataset); });
  member_a.JoinNetwork(dataset);
  formed_b.get();
  member_b.JoinNetwork(dataset);
  EXPECT_THREAD_PARTITION({&leader_a, &member_a});
  EXPECT_THREAD_PARTITION({&leader_b, &member_b});
  // Two leaders of one dataset would merge into one partition if they heard each other.
  EXPECT_NE(leader_a.PartitionId(), leader_b.PartitionId());
  EXPECT_THAT(leader_a.Role(), "leader");
  EXPECT_THAT(leader_b.Role(), "leader");
  EXPECT_THAT(Ping(member_a, leader_b, 1, std::chrono::seconds(3)), Not(Replied()));
  first->Destroy();
  second->Destroy();
}

// Sixteen Thread nodes in one home form one partition, and the farthest
// reaches the leader.
class SixteenNodesTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    std::vector<NodeSpec> nodes;
    for (int i = 0; i < 16; ++i) nodes.push_back(ThreadNodeSpec("n" + std::to_string(i), {.time_speed = 10}));
    return nodes;
  }
};

TEST_F(SixteenNodesTest, FormOnePartition) {
  std::vector<ThreadNode> thread;
  for (int i = 0; i < 16; ++i) thread.emplace_back(node("n" + std::to_string(i)));
  std::string dataset = thread[0].FormNetwork();
  for (int i = 1; i < 16; ++i) thread[i].JoinNetwork(dataset);
  std::vector<ThreadNode*> all;
  for (auto& member : thread) all.push_back(&member);
  EXPECT_THREAD_PARTITION(all, std::chrono::seconds(90));
  EXPECT_PING(thread[15], thread[0]);
  // Sixteen distinct node ids on the one medium.
  std::set<std::string> ids;
  for (int i = 0; i < 16; ++i) ids.insert(node("n" + std::to_string(i)).Describe().capability_details.at("Thread").at("node_id"));
  EXPECT_EQ(ids.size(), 16u);
}

// A process killed while its Thread home is up (nodes, the capture's
// sniffer, a link's helper) leaves containers that the next home reaps.
TEST(ThreadReaperTest, AKilledRunsThreadHomeIsReapedByTheNextHome) {
  ProcessOptions options;
  options.deadline = std::chrono::minutes(3);
  ProcessResult killed = RunProcess({"tests/home/home_maker", "doomed-thread", "2", "--thread", "--die"}, options);
  // Skipped, as the in-process tests are, when the engine lacks Thread's
  // features or no OpenThread was given to tools/setup (no thread image).
  if (killed.stderr_text.find("cannot be made here") != std::string::npos ||
      killed.stderr_text.find("needs the 'thread' node image") != std::string::npos) {
    if (!RequiredAmongMissing({"thread"}).empty()) FAIL() << killed.stderr_text;
    GTEST_SKIP() << killed.stderr_text;
  }
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.stderr_text;
  ASSERT_THAT(killed.stdout_text, HasSubstr("thread formed"));
  std::string home_id = killed.stdout_text.substr(5, killed.stdout_text.find('\n') - 5);
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  std::set<std::string> roles;
  for (const auto& container : client.ListContainers({{home::kHomeLabel, home_id}})) {
    roles.insert(container.labels.at(home::kRoleLabel));
  }
  EXPECT_THAT(roles, ::testing::IsSupersetOf({"node", "thread-capture", "thread-link"}));
  auto next = CirqueEnvironment::Get().MakeHome("after-thread", {NodeSpec::Named("alive")});
  EXPECT_THAT(client.ListContainers({{home::kHomeLabel, home_id}}), IsEmpty());
  EXPECT_THAT(client.ListNetworks({{home::kHomeLabel, home_id}}), IsEmpty());
  next->Destroy();
}

}  // namespace
}  // namespace cirque::testing
