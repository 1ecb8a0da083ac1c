// Pure parsers for what wpa_cli and hostapd_cli print, and the hostapd
// configuration for a set of WiFi settings. Tested without radios.
#ifndef CIRQUE_CAPABILITIES_WIFI_PARSING_H_
#define CIRQUE_CAPABILITIES_WIFI_PARSING_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

struct ScanEntry {
  std::string bssid;
  int frequency_mhz = 0;
  int signal_dbm = 0;
  std::string flags;     // "[WPA2-PSK-CCMP][ESS]"
  std::string ssid;
  std::string security;  // "open", "wpa2", "wpa3"
};
void PrintTo(const ScanEntry& entry, std::ostream* out);

// `wpa_cli scan_results`: a header line, then tab-separated rows.
std::vector<ScanEntry> ParseScanResults(const std::string& output);

// `wpa_cli status` / `hostapd_cli status`: key=value lines.
std::map<std::string, std::string> ParseKeyValues(const std::string& output);

// 2412 + 5 * (channel - 1) for channels 1..13.
int ChannelFrequency(int channel);

// hostapd.conf for an AP on `interface` with `settings` (ssid and, unless
// open, passphrase set).
std::string HostapdConfig(const home::WifiSettings& settings, const std::string& interface);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_PARSING_H_
