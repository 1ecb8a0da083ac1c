#include "capabilities/xvnc/xvnc_settings.h"

#include <string>

#include "capabilities/settings_json.h"

namespace cirque::capabilities {
namespace {

int NumberIn(const home::NodeSpec& node, const char* key, const Json& value, int low, int high,
             const std::string& meaning) {
  if (!value.is_number_integer() && !value.is_number_unsigned()) {
    InvalidSetting(node, key, value, "is not a whole number; give " + meaning);
  }
  long long number = value.get<long long>();
  if (number < low || number > high) {
    InvalidSetting(node, key, value,
                   "is outside " + std::to_string(low) + ".." + std::to_string(high) + "; give " + meaning);
  }
  return static_cast<int>(number);
}

}  // namespace

void ApplyTo(home::NodeSpec& node, const XvncSettings& settings) {
  node.WithCapability(kXvnc);
  node.WithSetting(kXvncLocalhostKey, Json(settings.localhost).dump());
  node.WithSetting(kDisplayIdKey, Json(settings.display_id).dump());
  node.WithSetting(kDockerDisplayIdKey, Json(settings.docker_display_id).dump());
}

XvncSettings XvncSettingsOf(const home::NodeSpec& node) {
  XvncSettings settings;
  if (Json value = SettingOf(node, kXvncLocalhostKey); !value.is_null()) {
    if (!value.is_boolean()) {
      InvalidSetting(node, kXvncLocalhostKey, value,
                     "is not true or false; give true to publish the VNC port on 127.0.0.1 only, false for all "
                     "addresses");
    }
    settings.localhost = value.get<bool>();
  }
  if (Json value = SettingOf(node, kDisplayIdKey); !value.is_null()) {
    settings.display_id = NumberIn(node, kDisplayIdKey, value, 0, kMaxDisplayId,
                                   "0 to let cirque pick a free display, or a display number");
  }
  if (Json value = SettingOf(node, kDockerDisplayIdKey); !value.is_null()) {
    settings.docker_display_id = NumberIn(node, kDockerDisplayIdKey, value, 0, kMaxDockerDisplayId,
                                          "the display number the node's DISPLAY names");
  }
  return settings;
}

}  // namespace cirque::capabilities
