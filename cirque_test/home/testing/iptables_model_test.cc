// Covers the iptables model that capability tests trust: positions as
// iptables counts them, deletion by spec, which rule a packet hits first,
// refusal of what it does not model; and HostRules on top of it, whose
// RemoveAll reads the model's -S listing back (quoted comments included).
#include "cirque_test/home/testing/iptables_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "cirque_test/home/host_rules.h"

namespace cirque::home::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::vector<std::string> Cmd(std::vector<std::string> words) {
  words.insert(words.begin(), {"iptables-nft", "-w", "-t", "mangle"});
  return words;
}

TEST(IptablesModelTest, InsertsAtPositionsAsIptablesCountsThem) {
  IptablesModel model;
  ASSERT_EQ(model.Run(Cmd({"-A", "FORWARD", "-s", "10.0.0.1", "-j", "A"})).exit_code, 0);
  ASSERT_EQ(model.Run(Cmd({"-I", "FORWARD", "1", "-s", "10.0.0.2", "-j", "B"})).exit_code, 0);
  ASSERT_EQ(model.Run(Cmd({"-I", "FORWARD", "2", "-s", "10.0.0.3", "-j", "C"})).exit_code, 0);
  ASSERT_EQ(model.Run(Cmd({"-I", "FORWARD", "-s", "10.0.0.4", "-j", "D"})).exit_code, 0);  // no position: top
  std::vector<std::string> targets;
  for (const auto& rule : model.Rules()) targets.push_back(rule.target);
  EXPECT_THAT(targets, ElementsAre("D", "B", "C", "A"));
  // One past the end is an append; beyond that iptables refuses.
  EXPECT_EQ(model.Run(Cmd({"-I", "FORWARD", "5", "-j", "E"})).exit_code, 0);
  docker::ExecResult too_far = model.Run(Cmd({"-I", "FORWARD", "9", "-j", "F"}));
  EXPECT_EQ(too_far.exit_code, 1);
  EXPECT_THAT(too_far.stderr_text, HasSubstr("Index of insertion too big"));
}

TEST(IptablesModelTest, DeletesTheFirstRuleOfTheSameSpecWhateverTheOptionOrder) {
  IptablesModel model;
  model.Run(Cmd({"-A", "FORWARD", "-s", "10.0.0.1/32", "-d", "192.168.0.0/16", "-j", "DROP"}));
  model.Run(Cmd({"-A", "FORWARD", "-s", "10.0.0.1/32", "-j", "ACCEPT"}));
  EXPECT_EQ(model.Run(Cmd({"-D", "FORWARD", "-d", "192.168.7.7/16", "-s", "10.0.0.1", "-j", "DROP"})).exit_code, 0);
  ASSERT_THAT(model.Rules(), SizeIs(1));
  EXPECT_EQ(model.Rules()[0].target, "ACCEPT");
  docker::ExecResult missing = model.Run(Cmd({"-D", "FORWARD", "-s", "10.0.0.9", "-j", "ACCEPT"}));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("Bad rule"));
  EXPECT_EQ(model.Run(Cmd({"-D", "FORWARD", "1"})).exit_code, 0);
  EXPECT_THAT(model.Rules(), SizeIs(0));
}

TEST(IptablesModelTest, FirstMatchWalksFromTheTopAndHonoursNegation) {
  IptablesModel model;
  model.Run(Cmd({"-A", "FORWARD", "-s", "10.200.7.5", "-j", "ACCEPT"}));
  model.Run(Cmd({"-A", "FORWARD", "-s", "10.200.7.0/24", "!", "-d", "10.200.7.0/24", "-j", "DROP"}));
  EXPECT_EQ(model.FirstMatch("10.200.7.5", "192.168.1.5")->target, "ACCEPT");
  EXPECT_EQ(model.FirstMatch("10.200.7.6", "192.168.1.5")->target, "DROP");
  EXPECT_FALSE(model.FirstMatch("10.200.7.6", "10.200.7.9").has_value());  // negated: falls through
  EXPECT_FALSE(model.FirstMatch("10.9.9.9", "192.168.1.5").has_value());
}

TEST(IptablesModelTest, RefusesWhatItDoesNotModel) {
  IptablesModel model;
  EXPECT_NE(model.Run({"iptables", "-t", "nat", "-A", "POSTROUTING", "-j", "MASQUERADE"}).exit_code, 0);
  EXPECT_NE(model.Run(Cmd({"-A", "DOCKER-USER", "-j", "DROP"})).exit_code, 0);
  EXPECT_NE(model.Run(Cmd({"-A", "FORWARD", "-i", "eth0", "-j", "DROP"})).exit_code, 0);
  EXPECT_NE(model.Run(Cmd({"-A", "FORWARD", "-s", "10.0.0.300", "-j", "DROP"})).exit_code, 0);
  EXPECT_NE(model.Run(Cmd({"-A", "FORWARD", "-s", "10.0.0.1"})).exit_code, 0);
  EXPECT_THAT(model.Rules(), SizeIs(0));
  EXPECT_THAT(model.Applied(), SizeIs(0));
}

TEST(IptablesModelTest, HostRulesRemoveExactlyTheirHomesRulesThroughTheListing) {
  IptablesModel model;
  HostRules mine(model.AsExec(), "iptables-nft", "home-a", "host:1:2");
  HostRules theirs(model.AsExec(), "iptables-nft", "home-b", "host:3:4");
  mine.Append({"-s", "10.200.1.0/24", "-d", "10.0.0.0/8", "-j", "DROP"});
  theirs.Insert(1, {"-s", "10.200.2.7/32", "-j", "ACCEPT"});
  mine.Insert(1, {"-s", "10.200.1.7/32", "-j", "ACCEPT"});
  mine.Insert(2, {"-s", "10.200.1.8/32", "-j", "ACCEPT"});
  EXPECT_THAT(model.Listing(), HasSubstr("--comment \"cirque home=home-a owner=host:1:2\""));
  mine.Delete({"-s", "10.200.1.8/32", "-j", "ACCEPT"});
  EXPECT_THAT(model.Rules(), SizeIs(3));
  EXPECT_EQ(mine.RemoveAll(), 2);
  ASSERT_THAT(model.Rules(), SizeIs(1));
  EXPECT_EQ(model.Rules()[0].comment, "cirque home=home-b owner=host:3:4");
}

TEST(IptablesModelTest, ConcurrentCommandsAllLand) {
  IptablesModel model;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&model, t] {
      for (int i = 0; i < 50; ++i) {
        std::string address = "10.0." + std::to_string(t) + "." + std::to_string(i + 1);
        model.Run(Cmd({i % 2 == 0 ? "-A" : "-I", "FORWARD", "-s", address, "-j", "ACCEPT"}));
        model.FirstMatch(address, "192.168.1.1");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(model.Rules(), SizeIs(200));
  EXPECT_THAT(model.Applied(), SizeIs(200));
}

}  // namespace
}  // namespace cirque::home::testing
