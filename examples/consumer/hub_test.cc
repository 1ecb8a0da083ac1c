// A plain home from a user's workspace: a hub and two sensors on the home's
// wired network reach each other. Host tier: needs only a Docker engine.
#include <gtest/gtest.h>

#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace {

using cirque::testing::NodeSpec;

class HubTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {NodeSpec::Named("hub"), NodeSpec::Named("sensor1"), NodeSpec::Named("sensor2")};
  }
};

TEST_F(HubTest, SensorsReachTheHub) {
  EXPECT_PING(node("sensor1"), node("hub"));
  EXPECT_PING(node("sensor2"), node("hub"));
}

TEST_F(HubTest, HubRunsCommands) { EXPECT_EXEC_OK(node("hub"), {"ip", "link", "show", "eth0"}); }

}  // namespace
