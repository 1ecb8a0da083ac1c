#include "capabilities/wifi_parsing.h"

#include <sstream>

#include "capabilities/wifi_settings.h"

namespace cirque::capabilities {

void PrintTo(const ScanEntry& entry, std::ostream* out) {
  *out << "'" << entry.ssid << "' " << entry.bssid << " " << entry.frequency_mhz << " MHz "
       << entry.signal_dbm << " dBm " << entry.security;
}

std::vector<ScanEntry> ParseScanResults(const std::string& output) {
  std::vector<ScanEntry> entries;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream columns(line);
    for (std::string field; std::getline(columns, field, '\t');) fields.push_back(field);
    if (fields.size() < 4 || fields[0].size() != 17 || fields[0][2] != ':') continue;
    ScanEntry entry;
    entry.bssid = fields[0];
    entry.frequency_mhz = std::atoi(fields[1].c_str());
    entry.signal_dbm = std::atoi(fields[2].c_str());
    entry.flags = fields[3];
    entry.ssid = fields.size() > 4 ? fields[4] : "";
    entry.security = entry.flags.find("SAE") != std::string::npos   ? "wpa3"
                     : entry.flags.find("WPA2") != std::string::npos ? "wpa2"
                     : entry.flags.find("WPA") != std::string::npos  ? "wpa"
                                                                      : "open";
    entries.push_back(entry);
  }
  return entries;
}

std::map<std::string, std::string> ParseKeyValues(const std::string& output) {
  std::map<std::string, std::string> values;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    values[line.substr(0, equals)] = value;
  }
  return values;
}

int ChannelFrequency(int channel) { return WifiChannelFrequency(channel); }

std::string SimulatedFrequencies() {
  std::string list;
  for (int channel = 1; channel <= 165; ++channel) {
    if (!IsWifiChannel(channel)) continue;
    list += (list.empty() ? "" : ",") + std::to_string(ChannelFrequency(channel));
  }
  return list;
}

std::string HostapdConfig(const WifiSettings& settings, const std::string& interface) {
  std::ostringstream config;
  config << "interface=" << interface << "\n"
         << "driver=nl80211\n"
         << "ctrl_interface=/run/hostapd\n"
         // Hex: no byte of an SSID can end the line and start a directive.
         << "ssid2=" << SsidHex(settings.ssid) << "\n"
         << "hw_mode=" << (settings.channel >= 36 ? "a" : "g") << "\n"
         << "channel=" << settings.channel << "\n"
         << "ieee80211n=1\n"
         << "ignore_broadcast_ssid=" << (settings.hidden ? 1 : 0) << "\n";
  if (settings.mode == "bridge") config << "bridge=br0\n";
  if (settings.security == "wpa2") {
    config << "wpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\n"
           << "wpa_passphrase=" << settings.passphrase << "\n";
  } else if (settings.security == "wpa3") {
    config << "wpa=2\nwpa_key_mgmt=SAE\nrsn_pairwise=CCMP\nieee80211w=2\nsae_require_mfp=1\n"
           << "sae_password=" << settings.passphrase << "\n";
  }
  return config.str();
}

}  // namespace cirque::capabilities
