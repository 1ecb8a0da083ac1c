// Pure parsers for what wpa_cli and hostapd_cli print, and the hostapd
// configuration for a set of WiFi settings. Tested without radios.
#ifndef CIRQUE_CAPABILITIES_WIFI_PARSING_H_
#define CIRQUE_CAPABILITIES_WIFI_PARSING_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "capabilities/wifi_settings.h"

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

// The channel's centre frequency in MHz: 2437 for 6, 5180 for 36.
int ChannelFrequency(int channel);
// Every channel an AP of a home can use, as wpa_cli's freq= list
// ("2412,2417,...,5825"): a scan of these sees every AP of the home, in a
// fraction of the time of a scan over all the radio's channels.
std::string SimulatedFrequencies();

// hostapd.conf for an AP on `interface` with `settings` (ssid and, unless
// open, passphrase set).
std::string HostapdConfig(const WifiSettings& settings, const std::string& interface);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_PARSING_H_
