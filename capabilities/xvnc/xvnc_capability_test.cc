// Covers the Xvnc capability against the fake engine: how a display is
// taken (numbers held by other containers skipped, a taken port skipped,
// an asked number that is taken refused naming it), what the helper and
// the node are given, a server that never answers, and that the home's
// end removes the helpers.
#include "capabilities/xvnc/xvnc_capability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/xvnc/display_allocation.h"
#include "capabilities/xvnc/x_displays.h"
#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/testing/fake_home_context.h"
#include "cirque_test/home/testing/fake_node_runtime.h"
#include "cirque_test/util/error.h"

namespace cirque::capabilities {
namespace {

using docker::testing::FakeDockerClient;
using home::testing::FakeHomeContext;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class XvncCapabilityTest : public ::testing::Test {
 protected:
  XvncCapabilityTest() { engine_.AddImage("xvnc"); }

  // A container of another home holding display `number`.
  void Occupy(int number) {
    docker::ContainerSpec spec;
    spec.image = "xvnc";
    spec.name = DisplayHelperName(number);
    engine_.CreateContainer(spec);
  }

  FakeDockerClient engine_;
};

TEST_F(XvncCapabilityTest, TakesTheFirstFreeDisplayAndGivesTheNodeItsSocketAndDisplay) {
  Occupy(1);
  XvncCapability xvnc("phone", XvncSettings{.docker_display_id = 2});
  {
    FakeHomeContext home(engine_);
    xvnc.Prepare(home);
    EXPECT_EQ(xvnc.display().number(), 2);
    docker::ContainerSpec helper = engine_.CreatedSpec(DisplayHelperName(2));
    EXPECT_EQ(helper.image, "xvnc");
    EXPECT_EQ(helper.labels.at(home::kRoleLabel), kXvncRole);
    EXPECT_EQ(helper.labels.at(home::kHomeLabel), home.id());
    EXPECT_EQ(helper.labels.at(home::kNodeLabel), "phone");
    EXPECT_THAT(helper.process.cmd, Contains(":2"));
    ASSERT_EQ(helper.network.ports.size(), 1u);
    EXPECT_EQ(helper.network.ports[0].host_port, 5902);
    EXPECT_EQ(helper.network.ports[0].host_ip, "127.0.0.1");
    ASSERT_EQ(helper.storage.mounts.size(), 1u);
    EXPECT_EQ(helper.storage.mounts[0].target, "/tmp/.X11-unix");

    docker::ContainerSpec node;
    xvnc.Configure(node);
    EXPECT_THAT(node.storage.volumes_from, ElementsAre(xvnc.display().helper_id()));
    EXPECT_THAT(node.process.env, ElementsAre("DISPLAY=:2"));
    EXPECT_EQ(xvnc.Describe().at("vnc_address"), "127.0.0.1:5902");
  }
  // The home is gone: its helper too, the other home's display stays.
  std::vector<std::string> left;
  for (const auto& container : engine_.LiveContainers()) left.push_back(container.name);
  EXPECT_THAT(left, ElementsAre(DisplayHelperName(1)));
}

TEST_F(XvncCapabilityTest, ADisplayWhosePortIsTakenOnTheHostIsSkipped) {
  engine_.FailNextCall("StartContainer",
                       Error(ErrorCode::kInternal, "driver failed programming external connectivity on endpoint "
                                                   "cirque-display-1: Bind for 127.0.0.1:5901 failed: port is "
                                                   "already allocated"));
  FakeHomeContext home(engine_);
  XvncCapability xvnc("phone", XvncSettings{.localhost = false});
  xvnc.Prepare(home);
  EXPECT_EQ(xvnc.display().number(), 2);
  EXPECT_EQ(engine_.CreatedSpec(DisplayHelperName(2)).network.ports[0].host_ip, "0.0.0.0");
  EXPECT_EQ(engine_.LiveContainers().size(), 1u);  // the first try was removed
}

TEST_F(XvncCapabilityTest, AnAskedDisplayThatIsTakenIsRefusedNamingItAndTheFix) {
  Occupy(5);
  FakeHomeContext home(engine_);
  XvncCapability xvnc("phone", XvncSettings{.display_id = 5});
  try {
    xvnc.Prepare(home);
    ADD_FAILURE() << "display 5 given twice";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kConflict);
    EXPECT_THAT(error.what(), HasSubstr("node 'phone': display_id 5 is taken"));
    EXPECT_THAT(error.what(), HasSubstr("fix: give display_id 0"));
  }
}

TEST_F(XvncCapabilityTest, AServerThatNeverAnswersFailsWithItsLogAndLeavesNothing) {
  engine_.AnswerExec({"sh", "-c"}, {.exit_code = 124});
  FakeHomeContext home(engine_);
  XvncCapability xvnc("phone", XvncSettings{});
  try {
    xvnc.Prepare(home);
    ADD_FAILURE() << "a display that never answered was kept";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), HasSubstr("Xvnc did not answer on /tmp/.X11-unix/X0 within 30 s"));
  }
  EXPECT_THAT(engine_.LiveContainers(), IsEmpty());
}

// A service started again after a crash takes over the running home: the
// node's display is found by its labels, not made again.
TEST_F(XvncCapabilityTest, AdoptionFindsTheDisplayAnEarlierProcessMade) {
  std::string helper_id;
  {
    FakeHomeContext earlier(engine_);
    XvncCapability xvnc("phone", XvncSettings{.localhost = false, .docker_display_id = 3});
    xvnc.Prepare(earlier);
    helper_id = xvnc.display().helper_id();
    HomeXDisplays(earlier).Release();  // the earlier process left the home running
  }
  FakeHomeContext later(engine_);
  home::testing::FakeNodeRuntime node("phone");
  node.UseHome(&later);
  XvncCapability adopted("phone", XvncSettings{});
  adopted.Adopt(node);
  EXPECT_EQ(adopted.display().helper_id(), helper_id);
  EXPECT_EQ(adopted.display().number(), 1);
  EXPECT_EQ(adopted.display().node_display(), ":3");
  EXPECT_EQ(adopted.display().vnc_host_ip(), "0.0.0.0");
  EXPECT_EQ(engine_.CallCount("CreateContainer"), 1);
}

TEST_F(XvncCapabilityTest, AdoptionWithoutADisplaySaysSo) {
  FakeHomeContext later(engine_);
  home::testing::FakeNodeRuntime node("phone");
  node.UseHome(&later);
  XvncCapability adopted("phone", XvncSettings{});
  try {
    adopted.Adopt(node);
    ADD_FAILURE() << "adopted a display that is not there";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("node 'phone': its X display's helper"));
  }
}

TEST_F(XvncCapabilityTest, ThePreparedDisplayIsUsedBeforePrepareOnlyWithAClearError) {
  XvncCapability xvnc("phone", XvncSettings{});
  docker::ContainerSpec node;
  EXPECT_THROW(xvnc.Configure(node), Error);
  EXPECT_EQ(xvnc.Describe().at("display"), ":0");
}

}  // namespace
}  // namespace cirque::capabilities
