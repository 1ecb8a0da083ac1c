// WiFi on a station node: a simulated radio as wlan0 and wpa_supplicant,
// driven through its control interface (wpa_cli):
//
//   Scan()                  the networks in range (SSID, BSSID, signal, security)
//   Connect(ssid, psk)      the provisioning step; returns at once
//   WaitAssociated(...)     polls until COMPLETED or the deadline
//   Status(), Disconnect()
//   RequestLease()          DHCP on wlan0 (dhclient), returns the address
//
// Every wait is a poll with a deadline. Results carry the tail of the
// supplicant's log for failure messages.
#ifndef CIRQUE_CAPABILITIES_WIFI_STATION_H_
#define CIRQUE_CAPABILITIES_WIFI_STATION_H_

#include <chrono>
#include <ostream>

#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_radio_medium.h"
#include "capabilities/wifi_settings.h"
#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

struct WifiStatus {
  std::string station;  // node name
  std::string state;    // wpa_state: "COMPLETED", "SCANNING", "DISCONNECTED", ...
  std::string ssid;
  std::string bssid;
  std::string log_tail;  // the supplicant's last lines
  bool associated() const { return state == "COMPLETED"; }
};
void PrintTo(const WifiStatus& status, std::ostream* out);

struct LeaseResult {
  std::string station;
  std::string address;  // "" when no lease came
  std::string output;   // dhclient's output, for failure messages
};
void PrintTo(const LeaseResult& lease, std::ostream* out);

class WifiStation : public home::Capability {
 public:
  WifiStation(WifiSettings defaults, WifiRadioOptions radio_options)
      : defaults_(std::move(defaults)), radio_options_(std::move(radio_options)) {}
  std::string name() const override { return kWifi; }
  std::vector<home::Requirement> Requirements() const override;
  // Starts the home's radio medium while the home makes its networks.
  void Prepare(home::HomeContext& home) override;
  void Configure(docker::ContainerSpec& container) override;
  void Equip(home::NodeRuntime& node) override;
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  // Its radio and wlan0's address, from the running node.
  void Adopt(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;
  std::vector<std::string> Artifacts() const override;

  // Scans until `ssid` shows up, or for the whole deadline when ssid is "";
  // returns what was found. On `channel` only when channel > 0, else on
  // every channel a simulated AP can use (SimulatedFrequencies).
  std::vector<ScanEntry> Scan(home::NodeRuntime& node, const std::string& ssid = "", int channel = 0,
                              std::chrono::milliseconds deadline = std::chrono::seconds(15));
  // Scans until a beacon from `bssid` (lower case, as iw prints it) shows
  // up, or the deadline passes: for networks whose SSID is hidden.
  std::vector<ScanEntry> ScanForBssid(home::NodeRuntime& node, const std::string& bssid, int channel = 0,
                                      std::chrono::milliseconds deadline = std::chrono::seconds(15));
  // Adds the network and enables it; security as the AP's ("open", "wpa2",
  // "wpa3"). Throws Error with wpa_cli's answer when it refuses.
  void Connect(home::NodeRuntime& node, const std::string& ssid, const std::string& passphrase,
               const std::string& security = "wpa2", int channel = 0);
  WifiStatus Status(home::NodeRuntime& node);
  WifiStatus WaitAssociated(home::NodeRuntime& node, std::chrono::milliseconds deadline = std::chrono::seconds(20));
  void Disconnect(home::NodeRuntime& node);
  LeaseResult RequestLease(home::NodeRuntime& node, std::chrono::seconds deadline = std::chrono::seconds(20));
  // The address on wlan0, or "".
  std::string Address(home::NodeRuntime& node);
  std::string LogTail(home::NodeRuntime& node, int lines = 10);

  const WifiSettings& defaults() const { return defaults_; }

 private:
  docker::ExecResult WpaCli(home::NodeRuntime& node, std::vector<std::string> arguments);

  WifiSettings defaults_;
  WifiRadioOptions radio_options_;
  RadioAttachment radio_;
  std::string address_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_STATION_H_
