#include "capabilities/wifi_settings.h"

#include "capabilities/settings_json.h"

namespace cirque::capabilities {
namespace {

void Validate(const home::NodeSpec& node, const WifiSettings& wifi) {
  if (wifi.security != "open" && wifi.security != "wpa2" && wifi.security != "wpa3") {
    InvalidSetting(node, "wifi.security", wifi.security, "is not one of open, wpa2, wpa3");
  }
  if (!IsWifiChannel(wifi.channel)) {
    InvalidSetting(node, "wifi.channel", wifi.channel,
                   "is not a channel of the simulated radios (2.4 GHz: 1..11; 5 GHz: 36, 40, 44, 48, 149, 153, "
                   "157, 161, 165)");
  }
  if (wifi.mode != "router" && wifi.mode != "bridge") {
    InvalidSetting(node, "wifi.mode", wifi.mode, "is not one of router, bridge");
  }
  if (wifi.ssid.size() > 32) InvalidSetting(node, "wifi.ssid", wifi.ssid, "is longer than 32 bytes");
  if (!wifi.passphrase.empty()) {
    if (wifi.passphrase.size() < 8 || wifi.passphrase.size() > 63) {
      InvalidSetting(node, "wifi.passphrase", wifi.passphrase, "must have 8 to 63 characters");
    }
    CheckPrintable(node, "wifi.passphrase", wifi.passphrase);
  }
}

}  // namespace

bool IsWifiChannel(int channel) {
  if (channel >= 1 && channel <= 11) return true;
  for (int five : {36, 40, 44, 48, 149, 153, 157, 161, 165}) {
    if (channel == five) return true;
  }
  return false;
}

int WifiChannelFrequency(int channel) { return channel >= 36 ? 5000 + 5 * channel : 2407 + 5 * channel; }

std::string SsidHex(const std::string& ssid) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : ssid) {
    hex += digits[byte >> 4];
    hex += digits[byte & 0xf];
  }
  return hex;
}

void ApplyTo(home::NodeSpec& node, const WifiSettings& settings) {
  Json value = {{"ssid", settings.ssid},         {"passphrase", settings.passphrase},
                {"security", settings.security}, {"channel", settings.channel},
                {"hidden", settings.hidden},     {"mode", settings.mode}};
  node.WithCapability(kWifi);
  node.WithSetting(kWifiKey, value.dump());
}

WifiSettings WifiSettingsOf(const home::NodeSpec& node) {
  Json value = SettingOf(node, kWifiKey);
  WifiSettings wifi;
  if (!value.is_null()) {
    if (!value.is_object()) InvalidSetting(node, kWifiKey, value, "is not an object");
    CheckKeys(node, "wifi.", value, {"ssid", "passphrase", "security", "channel", "hidden", "mode"});
    if (value.contains("ssid")) wifi.ssid = StringField(node, "wifi.ssid", value["ssid"]);
    if (value.contains("passphrase")) wifi.passphrase = StringField(node, "wifi.passphrase", value["passphrase"]);
    if (value.contains("security")) wifi.security = StringField(node, "wifi.security", value["security"]);
    if (value.contains("channel")) wifi.channel = WholeNumber(node, "wifi.channel", value["channel"]);
    if (value.contains("hidden")) wifi.hidden = BoolField(node, "wifi.hidden", value["hidden"]);
    if (value.contains("mode")) wifi.mode = StringField(node, "wifi.mode", value["mode"]);
  }
  Validate(node, wifi);
  return wifi;
}

}  // namespace cirque::capabilities
