// Covers LanAccess's rules on the engine's host, on an iptables model: two
// LanAccess nodes of one home enabled at the same time must each reach the
// LAN (their packets to 192.168.1.5 hit their ACCEPT before any DROP),
// whatever order their iptables commands land in, while the home's other
// addresses stay fenced off.
//
// How "whatever order" is covered: a home has one HostRules, which runs
// one iptables command at a time (it holds its lock across the command), so
// two nodes' Enables can interleave only between commands. The test records
// each node's commands (one node claims the fence, the other does not) and
// replays every merge of the two sequences on a fresh model; the merge
// where the second node's ACCEPT lands before the fence is the one that
// broke the earlier LanAccess, which inserted the fence at the top. Holding
// a command inside the model until the other node's ACCEPT arrives cannot
// force that order here: the other node waits for HostRules' lock, which
// the held command keeps. A threaded run with both Enables at once checks
// the same on the real lock, as TSan sees it.
#include "capabilities/lan_access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <functional>
#include <thread>

#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/testing/fake_node_runtime.h"
#include "cirque_test/home/testing/iptables_model.h"

namespace cirque::capabilities {
namespace {

using home::HostRules;
using home::testing::FakeNodeRuntime;
using home::testing::IptablesModel;
using ::testing::IsEmpty;

using Commands = std::vector<std::vector<std::string>>;

constexpr const char* kSubnet = "10.200.7.0/24";
constexpr const char* kAddressA = "10.200.7.2";
constexpr const char* kAddressB = "10.200.7.3";
constexpr const char* kOtherAddress = "10.200.7.9";  // a node of the home without LanAccess
constexpr const char* kLanHost = "192.168.1.5";

// Two LanAccess nodes of one home, sharing its HostRules.
struct TwoNodes {
  explicit TwoNodes(HostRules& rules) {
    a.UseHostRules(&rules);
    b.UseHostRules(&rules);
  }
  FakeNodeRuntime a{"a", {.ipv4_address = kAddressA, .subnet = kSubnet}};
  FakeNodeRuntime b{"b", {.ipv4_address = kAddressB, .subnet = kSubnet}};
  LanAccess lan_a, lan_b;
};

HostRules RulesOver(home::HostExecFunction exec) {
  return HostRules(std::move(exec), "iptables-nft", "home0lan0001", "host:1:1");
}

// What must hold once both nodes are enabled; empty when it does.
std::vector<std::string> Problems(const IptablesModel& model) {
  std::vector<std::string> problems;
  for (const char* address : {kAddressA, kAddressB}) {
    auto hit = model.FirstMatch(address, kLanHost);
    if (!hit || hit->target != "ACCEPT" || hit->source != std::string(address) + "/32") {
      problems.push_back(std::string(address) + " -> " + kLanHost + " hits " + (hit ? hit->ToListing() : "no rule"));
    }
  }
  for (const char* destination : {kLanHost, "10.1.2.3", "172.16.5.5"}) {
    auto hit = model.FirstMatch(kOtherAddress, destination);
    if (!hit || hit->target != "DROP") {
      problems.push_back(std::string(kOtherAddress) + " -> " + destination + " hits " +
                         (hit ? hit->ToListing() : "no rule"));
    }
  }
  // The home's own subnet stays open to itself.
  auto inside = model.FirstMatch(kOtherAddress, kAddressA);
  if (!inside || inside->target != "ACCEPT") problems.push_back("the home's subnet is cut off from itself");
  if (!problems.empty()) problems.push_back("chain:\n" + model.Listing());
  return problems;
}

// Each node's commands when `first` enables before `second`, one at a time.
std::pair<Commands, Commands> RecordEnables(bool a_first) {
  IptablesModel scratch;
  Commands recorded;
  HostRules rules = RulesOver([&](const std::vector<std::string>& argv) {
    recorded.push_back(argv);
    return scratch.Run(argv);
  });
  TwoNodes nodes(rules);
  if (a_first) {
    nodes.lan_a.Enable(nodes.a);
  } else {
    nodes.lan_b.Enable(nodes.b);
  }
  size_t first_count = recorded.size();
  if (a_first) {
    nodes.lan_b.Enable(nodes.b);
  } else {
    nodes.lan_a.Enable(nodes.a);
  }
  return {Commands(recorded.begin(), recorded.begin() + static_cast<long>(first_count)),
          Commands(recorded.begin() + static_cast<long>(first_count), recorded.end())};
}

// Calls `visit` with every interleaving of `first` and `second` that keeps
// each one's own order.
void ForEachMerge(const Commands& first, const Commands& second, const std::function<void(const Commands&)>& visit) {
  Commands merged;
  std::function<void(size_t, size_t)> step = [&](size_t i, size_t j) {
    if (i == first.size() && j == second.size()) return visit(merged);
    if (i < first.size()) {
      merged.push_back(first[i]);
      step(i + 1, j);
      merged.pop_back();
    }
    if (j < second.size()) {
      merged.push_back(second[j]);
      step(i, j + 1);
      merged.pop_back();
    }
  };
  step(0, 0);
}

TEST(LanAccessTest, EveryInterleavingOfTwoEnablesLetsBothThroughAndFencesTheRest) {
  for (bool a_first : {true, false}) {
    auto [claimer, other] = RecordEnables(a_first);
    ASSERT_FALSE(other.empty());
    int merges = 0;
    ForEachMerge(claimer, other, [&](const Commands& order) {
      ++merges;
      IptablesModel model;
      for (const auto& command : order) ASSERT_EQ(model.Run(command).exit_code, 0) << model.Listing();
      EXPECT_THAT(Problems(model), IsEmpty()) << "merge " << merges << (a_first ? " (a claims)" : " (b claims)");
    });
    EXPECT_GT(merges, 1);
  }
}

// The checker itself can fail: a fence inserted at the top after the
// other node's ACCEPT (what the earlier LanAccess did in this order) is
// caught.
TEST(LanAccessTest, TheCheckCatchesAFenceAboveAnAccept) {
  IptablesModel model;
  HostRules rules = RulesOver(model.AsExec());
  rules.Insert(1, {"-s", std::string(kAddressB) + "/32", "-j", "ACCEPT"});
  for (const char* range : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}) {
    rules.Insert(1, {"-s", kSubnet, "-d", range, "-j", "DROP"});
  }
  rules.Insert(1, {"-s", kSubnet, "-d", kSubnet, "-j", "ACCEPT"});
  rules.Insert(1, {"-s", std::string(kAddressA) + "/32", "-j", "ACCEPT"});
  std::vector<std::string> problems = Problems(model);
  ASSERT_FALSE(problems.empty());
  EXPECT_THAT(problems.front(), ::testing::HasSubstr(kAddressB));
}

TEST(LanAccessTest, TwoEnablesAtOnceOnOneHostRules) {
  for (int round = 0; round < 100; ++round) {
    IptablesModel model;
    HostRules rules = RulesOver([&model](const std::vector<std::string>& argv) {
      std::this_thread::yield();  // widen the window between commands
      return model.Run(argv);
    });
    TwoNodes nodes(rules);
    std::barrier start(2);
    std::thread enable_a([&] {
      start.arrive_and_wait();
      nodes.lan_a.Enable(nodes.a);
    });
    std::thread enable_b([&] {
      start.arrive_and_wait();
      nodes.lan_b.Enable(nodes.b);
    });
    enable_a.join();
    enable_b.join();
    ASSERT_THAT(Problems(model), IsEmpty()) << "round " << round;
  }
}

TEST(LanAccessTest, DisableTakesOnlyItsOwnAcceptAndTheHomeRemovesTheRest) {
  IptablesModel model;
  HostRules rules = RulesOver(model.AsExec());
  TwoNodes nodes(rules);
  nodes.lan_a.Enable(nodes.a);
  nodes.lan_b.Enable(nodes.b);
  EXPECT_EQ(nodes.lan_a.Describe()["lan_access"], "on");
  nodes.lan_a.Disable(nodes.a);
  EXPECT_EQ(nodes.lan_a.Describe()["lan_access"], "off");
  EXPECT_EQ(model.FirstMatch(kAddressA, kLanHost)->target, "DROP");
  EXPECT_EQ(model.FirstMatch(kAddressB, kLanHost)->target, "ACCEPT");
  nodes.lan_a.Disable(nodes.a);  // twice is harmless
  // The fence stays with the home until the home's rules go.
  EXPECT_EQ(rules.RemoveAll(), 5);
  EXPECT_THAT(model.Rules(), IsEmpty());
}

}  // namespace
}  // namespace cirque::capabilities
