// WiFi on an access-point node (type "wifi_ap"): a simulated radio as
// wlan0, hostapd serving the node's WifiSettings (open, WPA2-PSK with CCMP,
// or WPA3-SAE; channel; hidden SSID), dnsmasq handing out addresses, and, in
// router mode, NAT from the WiFi side out of eth0.
//
// A monitor interface on the AP's radio records every frame of the AP's
// channel in the home to a pcap (see Artifacts).
//
// Enable returns once hostapd reports the AP enabled and dnsmasq listens;
// each wait has a deadline, and a failure carries the tail of the log.
#ifndef CIRQUE_CAPABILITIES_WIFI_ACCESS_POINT_H_
#define CIRQUE_CAPABILITIES_WIFI_ACCESS_POINT_H_

#include "capabilities/wifi_radio_medium.h"
#include "capabilities/wifi_settings.h"
#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

class WifiAccessPoint : public home::Capability {
 public:
  WifiAccessPoint(WifiSettings settings, WifiRadioOptions radio_options)
      : settings_(std::move(settings)), radio_options_(std::move(radio_options)) {}
  std::string name() const override { return kWifi; }
  std::vector<home::Requirement> Requirements() const override;
  // Starts the home's radio medium while the home makes its networks.
  void Prepare(home::HomeContext& home) override;
  void Configure(docker::ContainerSpec& container) override;
  void Equip(home::NodeRuntime& node) override;
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  // Its radio, the SSID and passphrase hostapd runs with, its BSSID and
  // address, from the running node.
  void Adopt(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;
  // hostapd's and dnsmasq's logs, and an 802.11 capture (pcap) of the
  // home's frames on the AP's channel, recorded while the AP runs.
  std::vector<std::string> Artifacts() const override;

  const WifiSettings& settings() const { return settings_; }
  const std::string& address() const { return address_; }  // on wlan0
  const std::string& bssid() const { return bssid_; }
  // The last lines of hostapd's log, for failure messages.
  std::string LogTail(home::NodeRuntime& node, int lines = 10);

 private:
  WifiSettings settings_;
  WifiRadioOptions radio_options_;
  RadioAttachment radio_;
  std::string address_;
  std::string bssid_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_ACCESS_POINT_H_
