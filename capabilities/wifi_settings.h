// A WiFi node's settings, under the node-spec key "wifi" ({ssid,
// passphrase, security, channel, hidden, mode}). On an access point (a
// node of type "wifi_ap") they define its network; a station uses them
// only as defaults to connect with.
//
//   NodeSpec::Named("ap").Type("wifi_ap").With(WifiSettings{.ssid = "home", .passphrase = "..."})
#ifndef CIRQUE_CAPABILITIES_WIFI_SETTINGS_H_
#define CIRQUE_CAPABILITIES_WIFI_SETTINGS_H_

#include <string>

#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kWifi = "WiFi";
inline constexpr const char* kWifiKey = "wifi";
// Cirque's node type for an access point.
inline constexpr const char* kWifiApType = "wifi_ap";

struct WifiSettings {
  std::string ssid;        // Default on an AP: "cirque-<home id>". Up to 32 bytes.
  // Default on an AP with security: random. 8 to 63 printable ASCII
  // characters (WPA's passphrase alphabet).
  std::string passphrase;
  std::string security = "wpa2";  // "open", "wpa2" (PSK, CCMP) or "wpa3" (SAE)
  // 2.4 GHz: 1..11; 5 GHz: 36, 40, 44, 48, 149, 153, 157, 161, 165.
  // The band follows from the channel.
  int channel = 6;
  bool hidden = false;
  // "router": the AP has a subnet of its own on wlan0, hands out addresses
  // in it and NATs it out of eth0. "bridge": wlan0 and eth0 share a bridge;
  // stations join the home's wired network and get addresses in its upper
  // half (Docker assigns the lower half to containers).
  std::string mode = "router";
};

// Sets the node's "wifi" key and lists WiFi on it.
void ApplyTo(home::NodeSpec& node, const WifiSettings& settings);
// The node's settings (defaults when unset). Throws Error
// (kInvalidArgument) naming the field, the value and what is allowed.
WifiSettings WifiSettingsOf(const home::NodeSpec& node);

// The channels the simulated radios serve (see WifiSettings::channel), and
// a channel's centre frequency in MHz (6 -> 2437, 36 -> 5180).
bool IsWifiChannel(int channel);
int WifiChannelFrequency(int channel);

// The SSID as lower-case hex, as hostapd's ssid2 and wpa_supplicant's
// unquoted ssid take it: no byte of it can be read as configuration.
std::string SsidHex(const std::string& ssid);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_SETTINGS_H_
