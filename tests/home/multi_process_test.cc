// Covers homes across processes: two processes making homes at the same time
// get distinct subnets and working homes; a process killed with SIGKILL
// while its home is up leaves resources that the next home creation reaps,
// iptables rules included, and nothing of a live run is touched; rules a
// run left with nothing labelled behind are swept by their comments.
#include <unistd.h>

#include <future>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kHomeMaker = "tests/home/home_maker";

std::string Field(const std::string& output, const std::string& key) {
  std::smatch match;
  if (std::regex_search(output, match, std::regex("(^|\n)" + key + " ([^\n]*)"))) return match[2];
  return "";
}

ProcessResult RunHomeMaker(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kHomeMaker};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.deadline = std::chrono::minutes(3);
  return RunProcess(argv, options);
}

TEST(MultiProcessTest, TwoProcessesMakeHomesAtOnceWithoutCollision) {
  auto first = std::async(std::launch::async, [] { return RunHomeMaker({"parallel-a", "3"}); });
  auto second = std::async(std::launch::async, [] { return RunHomeMaker({"parallel-b", "3"}); });
  ProcessResult a = first.get(), b = second.get();
  ASSERT_EQ(a.exit_code, 0) << a.stderr_text;
  ASSERT_EQ(b.exit_code, 0) << b.stderr_text;
  EXPECT_NE(Field(a.stdout_text, "subnet"), "");
  EXPECT_NE(Field(a.stdout_text, "subnet"), Field(b.stdout_text, "subnet"));
  EXPECT_NE(Field(a.stdout_text, "home"), Field(b.stdout_text, "home"));
  EXPECT_THAT(a.stdout_text, HasSubstr("pinged n0 n2"));
  EXPECT_THAT(b.stdout_text, HasSubstr("pinged n0 n2"));
}

TEST(MultiProcessTest, HomeOfAKilledProcessIsReapedByTheNextHome) {
  ProcessResult killed = RunHomeMaker({"doomed", "2", "--lan-access", "--die"});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.stderr_text;
  const std::string dead_home = Field(killed.stdout_text, "home");
  ASSERT_NE(dead_home, "");
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  docker::LabelFilter dead = {{home::kHomeLabel, dead_home}};
  ASSERT_THAT(client.ListContainers(dead), Not(IsEmpty())) << "the killed run left nothing to reap";
  ASSERT_THAT(client.ListNetworks(dead), Not(IsEmpty()));
  home::HostAgent reader(client, CirqueEnvironment::Get().ResolveImage("generic"),
                         "rules-reader-" + home::NewId());
  auto rules = [&reader] {
    return reader.Exec({reader.Iptables(), "-w", "-t", "mangle", "-S", "FORWARD"}).stdout_text;
  };
  ASSERT_THAT(rules(), HasSubstr("cirque home=" + dead_home + " "));

  // A live home of ours must survive the reaping.
  auto survivor = home::VirtualHome::Create(CirqueEnvironment::Get().HomeOptionsFor("survivor"),
                                            {NodeSpec::Named("alive")});
  // Making that home ran the reaper: the dead home is gone, rules and all.
  EXPECT_THAT(client.ListContainers(dead), IsEmpty());
  EXPECT_THAT(client.ListNetworks(dead), IsEmpty());
  EXPECT_THAT(rules(), Not(HasSubstr("cirque home=" + dead_home + " ")));
  EXPECT_EQ(survivor->node("alive").Describe().state, "running");
  home::ReapReport again = home::ReapDeadRuns(client);
  EXPECT_THAT(again.containers, IsEmpty());
  EXPECT_EQ(survivor->node("alive").Describe().state, "running");
}

// A run killed after its containers went and before its rules did leaves
// rules no label leads to: `cirque reap` (ReapDeadRuns with sweep_rules)
// finds them by their comments, on the real host's iptables, and leaves a
// live owner's rule alone.
TEST(MultiProcessTest, RulesOfAGoneOwnerWithNothingLabelledAreSwept) {
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  const std::string helper = CirqueEnvironment::Get().ResolveImage("generic");
  home::HostAgent writer(client, helper, "rules-writer-" + home::NewId());
  home::HostExecFunction exec = [&writer](const std::vector<std::string>& argv) { return writer.Exec(argv); };
  home::OwnerIdentity gone = home::CurrentOwner();
  gone.start_time += 1;  // this pid, another process: gone
  const std::string ghost = "ghost" + home::NewId(), live = "live" + home::NewId();
  home::HostRules ghost_rules(exec, writer.Iptables(), ghost, gone.ToString());
  home::HostRules live_rules(exec, writer.Iptables(), live, home::CurrentOwner().ToString());
  // TEST-NET-1 and RETURN: harmless to any traffic of this host.
  ghost_rules.Append({"-s", "192.0.2.0/24", "-j", "RETURN"});
  live_rules.Append({"-s", "192.0.2.0/24", "-j", "RETURN"});
  auto rules = [&] { return writer.Exec({writer.Iptables(), "-w", "-t", "mangle", "-S", "FORWARD"}).stdout_text; };
  ASSERT_THAT(rules(), HasSubstr("cirque home=" + ghost + " "));
  ASSERT_THAT(client.ListContainers({{home::kHomeLabel, ghost}}), IsEmpty());

  home::ReapReport report = home::ReapDeadRuns(client, helper, /*sweep_rules=*/true);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(rules(), Not(HasSubstr("cirque home=" + ghost + " ")));
  EXPECT_THAT(rules(), HasSubstr("cirque home=" + live + " "));
  EXPECT_EQ(live_rules.RemoveAll(), 1);
}

}  // namespace
}  // namespace cirque::testing
