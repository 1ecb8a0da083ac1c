// Covers the engine dying under cirque, seen from the client's side: a
// proxy in front of the engine's socket (engine_proxy.h) is killed, closing
// every connection and refusing new ones, at a chosen request. While a home
// is being made (by a child process, which then exits as a dead run would),
// during an exec, and during a wait: the call fails well within its
// deadline, with an Error naming the engine's endpoint and what it was
// doing; once the engine is back, the next home reaps what the dead run
// left, and a home that lived through it is destroyed without a trace.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/cirque_environment.h"
#include "tests/faults/engine_proxy.h"
#include "tests/faults/leftovers.h"

namespace cirque::faults {
namespace {

using Clock = std::chrono::steady_clock;
using Verdict = EngineProxy::Verdict;
using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::CirqueEnvironment;

// How soon after the engine died a call must have failed. The calls' own
// deadlines are far longer (a request's 120 s, an exec's 30 s here): a
// failure this soon means the death was seen, not waited out.
constexpr auto kPromptFailure = std::chrono::seconds(5);

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::unique_ptr<docker::DockerClient> ClientOf(const EngineProxy& proxy) {
  docker::ClientOptions options;
  options.endpoint = docker::DockerEndpoint::Parse(proxy.docker_host());
  return std::make_unique<docker::DockerClient>(options);
}

// A home made through `client` (the proxy).
std::unique_ptr<home::VirtualHome> HomeThrough(docker::DockerClient& client, const std::string& name,
                                               const std::vector<home::NodeSpec>& nodes) {
  home::HomeOptions options = CirqueEnvironment::Get().HomeOptionsFor(name);
  options.client = &client;
  return home::VirtualHome::Create(options, nodes);
}

size_t HomeResources(const std::string& home_id) {
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  return client.ListContainers({{home::kHomeLabel, home_id}}).size() +
         client.ListNetworks({{home::kHomeLabel, home_id}}).size();
}

// Runs `call`, which must fail because the engine died at `*died` (set
// meanwhile): promptly, as kUnavailable, naming the proxy's endpoint and
// `doing` (what the call was doing).
void ExpectPromptEngineDeathError(const std::string& what, const std::function<void()>& call,
                                  const Clock::time_point* died, const EngineProxy& proxy,
                                  const std::string& doing) {
  try {
    call();
    ADD_FAILURE() << "the " << what << " returned although the engine died under it";
  } catch (const Error& error) {
    const auto failed_after = Clock::now() - *died;
    std::cout << what << " failed " << Seconds(failed_after) << " s after the engine died: " << error.what() << "\n";
    EXPECT_LT(failed_after, kPromptFailure);
    EXPECT_EQ(error.code(), ErrorCode::kUnavailable) << error.what();
    EXPECT_THAT(error.what(), AllOf(HasSubstr(proxy.docker_host()), HasSubstr(doing)));
  }
}

TEST(EngineDeathTest, WhileAHomeIsMadeTheMakerFailsPromptlyAndTheNextHomeReapsIt) {
  EngineProxy proxy;
  std::atomic<Clock::rep> died{0};
  std::atomic<pid_t> maker{0};
  // The engine makes the first container and dies before saying so: the
  // maker never learns of that container.
  proxy.OnAnswer({"^POST /v[0-9.]+/containers/create"}, [&](const EngineProxy::Answer& answer) {
    maker = answer.client_pid;
    died = Clock::now().time_since_epoch().count();
    proxy.Kill();
    return Verdict::kDrop;
  });
  ProcessOptions options;
  options.deadline = std::chrono::minutes(2);
  ProcessResult made = RunProcess({"env", "DOCKER_HOST=" + proxy.docker_host(), "tests/home/home_maker",
                                   "engine-dies", "3"},
                                  options);
  const auto failed_after = Clock::now() - Clock::time_point(Clock::duration(died.load()));
  ASSERT_EQ(proxy.fired(), 1) << "no container was created through the proxy:\n" << made.stderr_text;
  EXPECT_EQ(made.exit_code, 1) << made.stderr_text;
  EXPECT_LT(failed_after, kPromptFailure) << made.stderr_text;
  EXPECT_THAT(made.stderr_text, AllOf(HasSubstr(proxy.docker_host()), HasSubstr("containers/create")));
  RecordProperty("failed_after_s", std::to_string(Seconds(failed_after)));
  std::cout << "maker failed " << Seconds(failed_after) << " s after the engine died: " << made.stderr_text;

  docker::DockerClient& client = CirqueEnvironment::Get().client();
  Leftovers left = LeftoversOf(client, maker, nullptr);
  std::cout << "the dead maker left: " << left.ToString() << "\n";
  EXPECT_GT(left.total(), 0u) << "the engine's death left nothing to reap: the test proves little";

  // The engine is back; the next home, made through it, reaps the rest.
  proxy.Restart();
  auto proxied = ClientOf(proxy);
  auto next = HomeThrough(*proxied, "after-death", {home::NodeSpec::Named("next")});
  EXPECT_EQ(LeftoversOf(client, maker, nullptr).total(), 0u) << LeftoversOf(client, maker, nullptr).ToString();
  const std::string next_id = next->id();
  next->Destroy();
  EXPECT_EQ(HomeResources(next_id), 0u);
}

TEST(EngineDeathTest, DuringAnExecTheExecFailsPromptlyAndTheHomeIsDestroyedOnceItIsBack) {
  EngineProxy proxy;
  auto proxied = ClientOf(proxy);
  auto home = HomeThrough(*proxied, "exec-death", {home::NodeSpec::Named("busy")});
  const std::string home_id = home->id();

  docker::ExecSpec spec;
  spec.cmd = {"sh", "-c", "echo started; exec sleep 1000"};
  spec.deadline = std::chrono::seconds(30);
  Clock::time_point died;
  spec.on_output = [&](docker::OutputStream, std::string_view data) {
    if (data.find("started") != std::string_view::npos) {
      died = Clock::now();
      proxy.Kill();
    }
  };
  ExpectPromptEngineDeathError("exec", [&] { home->node("busy").Exec(spec); }, &died, proxy, "sleep 1000");
  // Once the engine is back, the home's own Destroy removes it all.
  const auto destroying = Clock::now();
  proxy.Restart();
  home->Destroy();
  std::cout << "destroyed in " << Seconds(Clock::now() - destroying) << " s once the engine was back\n";
  EXPECT_EQ(HomeResources(home_id), 0u);
}

TEST(EngineDeathTest, DuringAWaitTheWaitFailsPromptlyNamingTheEngine) {
  EngineProxy proxy;
  auto proxied = ClientOf(proxy);
  auto home = HomeThrough(*proxied, "wait-death", {home::NodeSpec::Named("waited")});
  const std::string home_id = home->id();
  Clock::time_point died;
  // The engine begins its answer (the status line of a wait comes at once)
  // and dies before the container's exit code.
  proxy.OnAnswer({"^POST /v[0-9.]+/containers/[^/]+/wait"}, [&](const EngineProxy::Answer&) {
    died = Clock::now();
    return Verdict::kDeliverThenKill;
  });
  ExpectPromptEngineDeathError(
      "wait", [&] { proxied->WaitContainer(home->node("waited").container_id(), std::chrono::seconds(30)); },
      &died, proxy, "/wait");
  EXPECT_EQ(proxy.fired(), 1);
  proxy.Restart();
  home->Destroy();
  EXPECT_EQ(HomeResources(home_id), 0u);
}

}  // namespace
}  // namespace cirque::faults
