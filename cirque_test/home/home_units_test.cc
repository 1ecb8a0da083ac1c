// Covers the home model's pure parts: owner labels, subnet arithmetic, host
// rule bookkeeping, and the capability registry.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/node_spec.h"
#include "cirque_test/home/subnet_allocator.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(OwnerIdentityTest, RoundTripsAndRejectsJunk) {
  OwnerIdentity owner{"build-host", 4242, 987654};
  std::optional<OwnerIdentity> parsed = OwnerIdentity::Parse(owner.ToString());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->host, "build-host");
  EXPECT_EQ(parsed->pid, 4242);
  EXPECT_EQ(parsed->start_time, 987654u);
  EXPECT_FALSE(OwnerIdentity::Parse("no-colons").has_value());
  EXPECT_FALSE(OwnerIdentity::Parse("host:x:1").has_value());
}

TEST(OwnerIdentityTest, KnowsWhoIsAlive) {
  EXPECT_TRUE(OwnerIsAlive(CurrentOwner()));
  OwnerIdentity reused_pid = CurrentOwner();
  reused_pid.start_time += 1;  // same pid, another process
  EXPECT_FALSE(OwnerIsAlive(reused_pid));
  OwnerIdentity elsewhere{"another-host", 1, 1};
  EXPECT_TRUE(OwnerIsAlive(elsewhere));
}

TEST(Ipv4SubnetTest, ParsesAndDetectsOverlap) {
  auto a = Ipv4Subnet::Parse("10.200.7.0/24");
  auto b = Ipv4Subnet::Parse("10.200.0.0/16");
  auto c = Ipv4Subnet::Parse("10.201.7.0/24");
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(a->Overlaps(*b));
  EXPECT_TRUE(b->Overlaps(*a));
  EXPECT_FALSE(a->Overlaps(*c));
  EXPECT_EQ(a->Address(1), "10.200.7.1");
  EXPECT_EQ(Ipv4Subnet::Parse("10.200.7.9/24")->ToString(), "10.200.7.0/24");
  EXPECT_FALSE(Ipv4Subnet::Parse("fd00::/64").has_value());
  EXPECT_FALSE(Ipv4Subnet::Parse("10.0.0.0/33").has_value());
}

TEST(HostRulesTest, FindsExactlyTheHomesRules) {
  const std::string rules =
      "-N DOCKER-USER\n"
      "-A DOCKER-USER -s 10.200.1.5/32 -m comment --comment \"cirque home=abc owner=h:1:2\" -j ACCEPT\n"
      "-A DOCKER-USER -s 10.200.1.0/24 -d 10.0.0.0/8 -m comment --comment \"cirque home=abc owner=h:1:2\" -j DROP\n"
      "-A DOCKER-USER -s 10.200.9.0/24 -m comment --comment \"cirque home=abcd owner=h:1:2\" -j DROP\n"
      "-A DOCKER-USER -j RETURN\n";
  auto commands = DeleteCommandsForHome(rules, "abc");
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_THAT(commands[0], ElementsAre("-D", "DOCKER-USER", "-s", "10.200.1.5/32", "-m", "comment",
                                       "--comment", "cirque home=abc owner=h:1:2", "-j", "ACCEPT"));
}

TEST(HostRulesTest, FindsTheHomesOfGoneOwnersByTheirComments) {
  const std::string rules =
      "-P FORWARD ACCEPT\n"
      "-A FORWARD -s 10.200.1.5/32 -m comment --comment \"cirque home=abc owner=h:1:2\" -j ACCEPT\n"
      "-A FORWARD -s 10.200.2.0/24 -m comment --comment \"cirque home=def owner=h:3:4\" -j DROP\n"
      "-A FORWARD -s 10.200.3.0/24 -m comment --comment \"cirque home=ghi owner=h:1:2\" -j DROP\n"
      "-A FORWARD -s 10.9.0.0/16 -m comment --comment \"someone else owner=h:1:2\" -j DROP\n"
      "-A FORWARD -m comment --comment \"cirque home= owner=h:1:2\" -j DROP\n"
      "-A FORWARD -j RETURN\n";
  std::vector<std::string> asked;
  auto gone = HomesOfGoneOwners(rules, [&asked](const std::string& owner) {
    asked.push_back(owner);
    return owner == "h:1:2";
  });
  EXPECT_THAT(gone, ElementsAre("abc", "ghi"));
  EXPECT_THAT(asked, ElementsAre("h:1:2", "h:3:4", "h:1:2"));
}

TEST(OwnerIdentityTest, OnlyAParsedDeadOwnerOfThisHostIsGone) {
  EXPECT_FALSE(OwnerIsGone(CurrentOwner().ToString()));
  EXPECT_FALSE(OwnerIsGone("not an owner"));
  EXPECT_FALSE(OwnerIsGone("some-other-host:1:1"));
  OwnerIdentity reused = CurrentOwner();
  reused.start_time += 1;  // this pid, but a process that started at another time
  EXPECT_TRUE(OwnerIsGone(reused.ToString()));
}

TEST(HostRulesTest, InsertsWithTheHomeComment) {
  std::vector<std::vector<std::string>> ran;
  HostRules rules(
      [&ran](const std::vector<std::string>& argv) {
        ran.push_back(argv);
        return docker::ExecResult{0, "", ""};
      },
      "iptables-nft", "h1", "host:1:2");
  rules.Insert(1, {"-s", "10.200.1.0/24", "-j", "DROP"});
  EXPECT_THAT(ran.at(0), ElementsAre("iptables-nft", "-w", "-t", "mangle", "-I", "FORWARD", "1", "-s",
                                     "10.200.1.0/24", "-j", "DROP", "-m", "comment", "--comment",
                                     "cirque home=h1 owner=host:1:2"));
  EXPECT_TRUE(rules.ClaimOnce("fence"));
  EXPECT_FALSE(rules.ClaimOnce("fence"));
}

TEST(HostRulesTest, FailedIptablesIsAnErrorWithItsMessage) {
  HostRules rules(
      [](const std::vector<std::string>&) {
        return docker::ExecResult{2, "", "iptables: No chain/target/match by that name.\n"};
      },
      "iptables-nft", "h1", "host:1:2");
  try {
    rules.Insert(1, {"-j", "DROP"});
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("exited 2"), HasSubstr("No chain")));
  }
}

class NamedCapability : public Capability {
 public:
  explicit NamedCapability(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }

 private:
  std::string name_;
};

TEST(CapabilityRegistryTest, MakesRegisteredAndRefusesUnknown) {
  CapabilityRegistry registry;
  registry.Register("Zigbee", [](const NodeSpec&) { return std::make_unique<NamedCapability>("Zigbee"); });
  EXPECT_EQ(registry.Create("Zigbee", NodeSpec::Named("n"))->name(), "Zigbee");
  try {
    registry.Create("Lora", NodeSpec::Named("gateway"));
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'gateway'"), HasSubstr("'Lora'"), HasSubstr("Zigbee")));
  }
}

}  // namespace
}  // namespace cirque::home
