// A Thread node's device on the real engine: it answers Spinel whatever
// the node's image (an image without OpenThread, an NCP, an RCP with no
// host stack), and Thread settings the engine cannot honour are refused
// with clear errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/thread/thread_radio_kit.h"
#include "cirque_test/util/error.h"
#include "fixtures/assertions.h"
#include "fixtures/required_features.h"
#include "fixtures/thread_nodes.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Asks the node's device for its Spinel NCP version, as a device maker's
// own software would open it.
CommandResult AskVersion(home::Node& node, const std::string& device = "/dev/ttyUSB0") {
  return RunOn(node, {capabilities::kThreadTtyPath, "version", "--device", device, "--timeout-ms", "5000"});
}

class DevicesTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {// The generic image has no OpenThread at all: the radio brings its own.
            NodeSpec::Named("plain").Image("generic").With(ThreadSettings{.daemon = "none"}),
            NodeSpec::Named("ncp").Image("generic").With(ThreadSettings{.rcp_mode = false}),
            NodeSpec::Named("acm").Image("generic").With(
                ThreadSettings{.daemon = "none", .device = "/dev/ttyACM0"})};
  }
};

TEST_F(DevicesTest, AnRcpAnswersInAnImageWithoutOpenThread) {
  EXPECT_THAT(RunOn(node("plain"), {"sh", "-c", "command -v ot-daemon ot-ctl || echo none"}), StdoutHas("none"));
  EXPECT_THAT(AskVersion(node("plain")), AllOf(Succeeded(), StdoutHas("OPENTHREAD"), StdoutHas("SIMULATION")));
}

TEST_F(DevicesTest, AnNcpAnswersOnItsDevice) {
  EXPECT_THAT(AskVersion(node("ncp")), AllOf(Succeeded(), StdoutHas("OPENTHREAD")));
  EXPECT_EQ(node("ncp").Describe().capability_details.at("Thread").at("radio"), "ncp");
}

TEST_F(DevicesTest, TheDevicePathIsConfigurable) {
  EXPECT_THAT(AskVersion(node("acm"), "/dev/ttyACM0"), Succeeded());
  EXPECT_THAT(RunOn(node("acm"), {"test", "-e", "/dev/ttyUSB0"}), ExitedWith(1));
}

TEST_F(DevicesTest, TheDeviceReopensAfterItsUserCloses) {
  // The radio keeps the pty's other end: a second user finds it alive.
  EXPECT_THAT(AskVersion(node("plain")), Succeeded());
  EXPECT_THAT(AskVersion(node("plain")), Succeeded());
}

TEST(ThreadSettingsOnEngineTest, HomesRefuseMixedTimeSpeeds) {
  runtime::Runtime& runtime = CirqueEnvironment::Get();
  try {
    auto home = runtime.MakeHome("thread-speeds", {ThreadNodeSpec("slow"), ThreadNodeSpec("fast", {.time_speed = 10})});
    FAIL() << "a home with Thread nodes at speeds 1 and 10 was made";
  } catch (const home::UnmetRequirementError& unmet) {
    CIRQUE_SKIP_UNLESS_REQUIRED(unmet);
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("time_speed"), HasSubstr("same speed")));
  }
}

}  // namespace
}  // namespace cirque::testing
