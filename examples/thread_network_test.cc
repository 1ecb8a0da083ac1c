// The Thread case study: a leader, a router and two children form a Thread
// network and ping across it; then the same as a parametrized suite over
// the number of nodes (2, 4, 8) and the home's time speed (1, 10).
//
// Each node runs OpenThread's simulated radio behind /dev/ttyUSB0 and
// ot-daemon on it (the `thread` image); the test drives them with ot-ctl
// through ThreadNode. Runs in the host tier: no kernel module needed.
//   bazel test //examples:thread_network_test
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures/assertions.h"
#include "fixtures/thread_nodes.h"
#include "fixtures/virtual_home_test.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::ThreadNode;
using cirque::testing::ThreadNodeSpec;
using cirque::testing::ThreadSettings;
using ::testing::AnyOf;

class ThreadNetworkTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {ThreadNodeSpec("leader"), ThreadNodeSpec("router"), ThreadNodeSpec("child1"),
            ThreadNodeSpec("child2")};
  }
};

TEST_F(ThreadNetworkTest, LeaderRouterAndChildrenFormANetworkAndPing) {
  ThreadNode leader(node("leader")), router(node("router")), child1(node("child1")), child2(node("child2"));
  std::string dataset = leader.FormNetwork();  // a random network key, PAN and channel
  router.JoinNetwork(dataset);
  ASSERT_THREAD_ROLE(router, AnyOf("router", "child"));
  // Children that never become routers: minimal end devices in effect.
  for (ThreadNode* child : {&child1, &child2}) {
    child->Command({"routereligible", "disable"});
    child->JoinNetwork(dataset);
  }
  EXPECT_THREAD_ROLE(child1, "child");
  EXPECT_THREAD_ROLE(child2, "child");
  EXPECT_THREAD_PARTITION({&leader, &router, &child1, &child2});
  EXPECT_PING(child1, child2);  // child to child, through their parents
  EXPECT_PING(child2, leader);
  EXPECT_PING(router, child1);
}

using Scenario = std::tuple<int, int>;  // nodes, time speed

class ThreadScaleTest : public cirque::testing::VirtualHomeTest, public ::testing::WithParamInterface<Scenario> {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    const auto& [nodes, speed] = GetParam();
    std::vector<NodeSpec> specs;
    for (int i = 0; i < nodes; ++i) specs.push_back(ThreadNodeSpec("n" + std::to_string(i), {.time_speed = speed}));
    return specs;
  }
};

TEST_P(ThreadScaleTest, EveryNodeAttachesAndReachesTheLeader) {
  const auto& [nodes, speed] = GetParam();
  std::vector<ThreadNode> thread;
  for (int i = 0; i < nodes; ++i) thread.emplace_back(node("n" + std::to_string(i)));
  std::string dataset = thread[0].FormNetwork();
  for (int i = 1; i < nodes; ++i) thread[i].JoinNetwork(dataset);
  std::vector<ThreadNode*> all;
  for (auto& member : thread) all.push_back(&member);
  ASSERT_THREAD_PARTITION(all, std::chrono::seconds(60));
  for (int i = 1; i < nodes; ++i) EXPECT_PING(thread[i], thread[0]);
}

INSTANTIATE_TEST_SUITE_P(NodesAndSpeed, ThreadScaleTest,
                         ::testing::Combine(::testing::Values(2, 4, 8), ::testing::Values(1, 10)),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                           return std::to_string(std::get<0>(info.param)) + "nodes_speed" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
