// Covers execs that misbehave in a node: one whose process ignores SIGTERM,
// one that floods its output, one that never ends. Each time the exec's
// deadline holds (elapsed measured against it), the error says what
// happened, the stray processes (the command's children included) are gone
// from the node, and the node answers a fresh exec at once. A flood keeps
// at most ExecSpec::max_output_bytes of each stream and says how much it
// dropped, so the caller's memory stays bounded. The home leaves nothing.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"

namespace cirque::faults {
namespace {

using Clock = std::chrono::steady_clock;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::CirqueEnvironment;

constexpr auto kDeadline = std::chrono::seconds(2);
// What the kill and the error may add to the deadline: inspecting the
// exec, killing it, and a fresh exec's round trip.
constexpr auto kSlack = std::chrono::seconds(3);

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// This process's peak resident memory, in kB (VmHWM).
long PeakMemoryKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class ExecFaultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = CirqueEnvironment::Get().MakeHome("exec-faults", {home::NodeSpec::Named("n")}).release();
  }
  static void TearDownTestSuite() {
    const std::string id = home_->id();
    delete home_;
    home_ = nullptr;
    docker::DockerClient& client = CirqueEnvironment::Get().client();
    EXPECT_EQ(client.ListContainers({{home::kHomeLabel, id}}).size() +
                  client.ListNetworks({{home::kHomeLabel, id}}).size(),
              0u);
  }
  void SetUp() override {
    if (home_ == nullptr) GTEST_SKIP() << "the home could not be made (see SetUpTestSuite's failure)";
  }

  home::Node& node() { return home_->node("n"); }

  // Runs `cmd` with kDeadline, expecting the deadline error; returns it and
  // checks how long it took.
  Error ExecPastDeadline(std::vector<std::string> cmd) {
    docker::ExecSpec spec;
    spec.cmd = std::move(cmd);
    spec.deadline = kDeadline;
    const auto began = Clock::now();
    try {
      node().Exec(spec);
    } catch (const Error& error) {
      const auto took = Clock::now() - began;
      std::cout << "'" << spec.cmd.back() << "' failed after " << Seconds(took) << " s (deadline "
                << Seconds(kDeadline) << " s): " << error.what() << "\n";
      EXPECT_GE(took, kDeadline);
      EXPECT_LT(took, kDeadline + kSlack);
      return error;
    }
    ADD_FAILURE() << "'" << spec.cmd.back() << "' returned before its deadline";
    return Error(ErrorCode::kInternal, "no error");
  }

  // The node answers at once, and no process of `marker` is left.
  void ExpectNodeUsableWithout(const std::string& marker) {
    const auto began = Clock::now();
    docker::ExecResult ps = node().Exec({"ps", "-o", "pid,args"}, std::chrono::seconds(10));
    EXPECT_LT(Clock::now() - began, std::chrono::seconds(2));
    EXPECT_EQ(ps.exit_code, 0);
    EXPECT_THAT(ps.stdout_text, Not(HasSubstr(marker))) << "a stray process outlived the deadline";
  }

  static home::VirtualHome* home_;
};

home::VirtualHome* ExecFaultsTest::home_ = nullptr;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST_F(ExecFaultsTest, ProcessIgnoringSigtermIsKilledAtTheDeadlineChildrenAndAll) {
  Error error = ExecPastDeadline({"sh", "-c", "trap '' TERM; echo ignoring TERM; sleep 1001; echo woke"});
  EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("2000 ms"), HasSubstr("was killed"), HasSubstr("ignoring TERM")));
  ExpectNodeUsableWithout("sleep 1001");
}

TEST_F(ExecFaultsTest, FloodIsCutAtTheDeadlineWithBoundedMemory) {
  const long peak_before = PeakMemoryKb();
  Error error = ExecPastDeadline({"sh", "-c", "exec yes flood-1002"});
  const long grown_kb = PeakMemoryKb() - peak_before;
  std::cout << "peak memory grew by " << grown_kb << " kB during the flood\n";
  EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("was killed"), HasSubstr("bytes of output beyond the first"),
                                  HasSubstr("flood-1002")));
  // 16 MiB kept, and the error's copy of the tail: far below what 2 s of
  // `yes` writes (hundreds of MB). AddressSanitizer keeps freed blocks in
  // its quarantine (the kept string's smaller buffers as it grew) and adds
  // its shadow memory: twice the room there.
  EXPECT_LT(grown_kb, kAddressSanitizer ? 128 * 1024 : 64 * 1024);
  ExpectNodeUsableWithout("yes flood-1002");
}

TEST_F(ExecFaultsTest, FloodThatEndsKeepsTheFirstBytesAndCountsTheRest) {
  docker::ExecSpec spec;
  spec.cmd = {"sh", "-c", "head -c 50000000 /dev/zero"};
  spec.max_output_bytes = 1 << 20;
  docker::ExecResult result = node().Exec(spec);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text.size(), size_t{1} << 20);
  EXPECT_EQ(result.dropped_bytes, 50000000u - (1u << 20));
}

TEST_F(ExecFaultsTest, CommandThatNeverEndsIsKilledAtTheDeadline) {
  Error error = ExecPastDeadline({"sh", "-c", "exec tail -f /dev/null -s 1003"});
  EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("tail -f /dev/null"), HasSubstr("was killed")));
  ExpectNodeUsableWithout("tail -f /dev/null");
}

}  // namespace
}  // namespace cirque::faults
