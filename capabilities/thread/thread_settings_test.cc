#include "capabilities/thread/thread_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities {
namespace {

TEST(ThreadSettingsTest, DefaultsAreCirques) {
  ThreadSettings settings = ThreadSettingsOf(home::NodeSpec::Named("n").WithCapability(kThread));
  EXPECT_EQ(settings.petition, 0);
  EXPECT_TRUE(settings.rcp_mode);
  EXPECT_EQ(settings.HostStack(), "ot-daemon");
  EXPECT_EQ(settings.device, "/dev/ttyUSB0");
  EXPECT_EQ(settings.time_speed, 1);
}

TEST(ThreadSettingsTest, ApplyToRoundTrips) {
  home::NodeSpec node = home::NodeSpec::Named("n").With(
      ThreadSettings{.petition = 4, .rcp_mode = true, .daemon = "otbr-agent", .device = "/dev/ttyACM1", .time_speed = 5});
  EXPECT_TRUE(node.HasCapability(kThread));
  ThreadSettings back = ThreadSettingsOf(node);
  EXPECT_EQ(back.petition, 4);
  EXPECT_EQ(back.HostStack(), "otbr-agent");
  EXPECT_EQ(back.device, "/dev/ttyACM1");
  EXPECT_EQ(back.time_speed, 5);
}

TEST(ThreadSettingsTest, CirquesBooleanDaemonMeansDefaultOrNone) {
  home::NodeSpec node = home::NodeSpec::Named("n").WithCapability(kThread).WithSetting(kThreadDaemonKey, "false");
  EXPECT_EQ(ThreadSettingsOf(node).HostStack(), "none");
  node.WithSetting(kThreadDaemonKey, "true");
  EXPECT_EQ(ThreadSettingsOf(node).HostStack(), "ot-daemon");
}

}  // namespace
}  // namespace cirque::capabilities
