// Covers the Xvnc settings: Cirque's defaults, the round trip through a
// node spec, and errors that name the key, the value and the fix.
#include "capabilities/xvnc/xvnc_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::capabilities {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string ErrorOf(const home::NodeSpec& node) {
  try {
    XvncSettingsOf(node);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    return error.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

TEST(XvncSettingsTest, DefaultsAreCirques) {
  XvncSettings settings = XvncSettingsOf(home::NodeSpec::Named("phone"));
  EXPECT_TRUE(settings.localhost);
  EXPECT_EQ(settings.display_id, 0);
  EXPECT_EQ(settings.docker_display_id, 0);
}

TEST(XvncSettingsTest, ApplyToListsTheCapabilityAndRoundTrips) {
  home::NodeSpec node = home::NodeSpec::Named("phone");
  node.With(XvncSettings{.localhost = false, .display_id = 7, .docker_display_id = 2});
  EXPECT_THAT(node.capabilities, ::testing::ElementsAre("Xvnc"));
  XvncSettings settings = XvncSettingsOf(node);
  EXPECT_FALSE(settings.localhost);
  EXPECT_EQ(settings.display_id, 7);
  EXPECT_EQ(settings.docker_display_id, 2);
}

TEST(XvncSettingsTest, BadValuesNameTheKeyTheValueAndTheFix) {
  home::NodeSpec node = home::NodeSpec::Named("phone");
  node.WithSetting(kXvncLocalhostKey, "\"yes\"");
  EXPECT_THAT(ErrorOf(node), AllOf(HasSubstr("xvnc_localhost"), HasSubstr("\"yes\""), HasSubstr("true or false")));

  node = home::NodeSpec::Named("phone");
  node.WithSetting(kDisplayIdKey, "70000");
  EXPECT_THAT(ErrorOf(node), AllOf(HasSubstr("display_id"), HasSubstr("70000"), HasSubstr("0..4095"),
                                   HasSubstr("0 to let cirque pick")));

  node = home::NodeSpec::Named("phone");
  node.WithSetting(kDisplayIdKey, "1.5");
  EXPECT_THAT(ErrorOf(node), AllOf(HasSubstr("display_id"), HasSubstr("1.5"), HasSubstr("whole number")));

  node = home::NodeSpec::Named("phone");
  node.WithSetting(kDockerDisplayIdKey, "-1");
  EXPECT_THAT(ErrorOf(node), AllOf(HasSubstr("docker_display_id"), HasSubstr("-1"), HasSubstr("0..99")));
}

}  // namespace
}  // namespace cirque::capabilities
