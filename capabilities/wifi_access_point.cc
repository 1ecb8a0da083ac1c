#include "capabilities/wifi_access_point.h"

#include <sstream>

#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_scripts.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

// "10.200.3.0/24" -> "10.200.3."; the subnet's upper half, .129 to .254,
// is left to bridged stations (the home's networks keep Docker to the
// lower half).
std::string PrefixOf(const std::string& subnet) {
  size_t last_dot = subnet.rfind('.');
  return last_dot == std::string::npos ? "" : subnet.substr(0, last_dot + 1);
}

}  // namespace

void WifiAccessPoint::Prepare(home::HomeContext& home) { HomeRadioMedium(home, radio_options_); }

std::vector<home::Requirement> WifiAccessPoint::Requirements() const {
  return {HwsimRequirement()};
}

void WifiAccessPoint::Configure(docker::ContainerSpec& container) {
  // hostapd and dnsmasq configure wlan0 and answer DHCP (raw sockets);
  // router mode forwards and NATs.
  container.security.cap_add.insert(container.security.cap_add.end(), {"NET_ADMIN", "NET_RAW"});
  if (settings_.mode == "router") container.security.sysctls["net.ipv4.ip_forward"] = "1";
}

// The radio is the node's hardware: attached as soon as the container
// runs, also in a home made ahead of need; it goes with the node.
void WifiAccessPoint::Equip(home::NodeRuntime& node) {
  home::Timeline::Scope step(node.home().timeline(), "attach radio " + node.node_name());
  radio_ = HomeRadioMedium(node.home(), radio_options_).Attach(node.container_id(), node.host_pid(), "wlan0");
}

void WifiAccessPoint::Enable(home::NodeRuntime& node) {
  if (settings_.ssid.empty()) settings_.ssid = "cirque-" + node.home_id();
  if (settings_.security != "open" && settings_.passphrase.empty()) {
    settings_.passphrase = "cq-" + home::NewId() + home::NewId();
  }
  std::string address_with_length, range_start, range_end, subnet;
  if (settings_.mode == "bridge") {
    // Stations share the home's wired network: the AP keeps eth0's address.
    std::string prefix = PrefixOf(node.subnet());
    if (prefix.empty() || node.ipv4_address().empty()) {
      throw Error(ErrorCode::kFailedPrecondition, "access point '" + node.node_name() +
                                                      "': bridge mode needs an IPv4 home network; the node has '" +
                                                      node.subnet() + "'");
    }
    address_ = node.ipv4_address();
    address_with_length = address_ + "/24";
    subnet = node.subnet();
    range_start = prefix + "129";
    range_end = prefix + "254";
  } else {
    // A subnet of the AP's own, named by its radio: distinct per AP.
    std::string prefix = "192.168." + std::to_string(radio_.radio_id % 250 + 1) + ".";
    address_ = prefix + "1";
    address_with_length = address_ + "/24";
    subnet = prefix + "0/24";
    range_start = prefix + "10";
    range_end = prefix + "200";
  }
  docker::ExecResult result = node.Exec(
      ScriptArgv(kApUpScript, "ap-up",
                 {radio_.phy, address_with_length, HostapdConfig(settings_, "wlan0"),
                  ScriptSeconds(kWifiStartDeadline), range_start, range_end, settings_.mode, subnet}),
      kWifiStartDeadline + kWifiExecMargin);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "access point '" + node.node_name() + "' did not come up: " +
                                                  result.stderr_text + result.stdout_text);
  }
  std::map<std::string, std::string> status = ParseKeyValues(result.stdout_text);
  bssid_ = status["bssid[0]"];
}

void WifiAccessPoint::Adopt(home::NodeRuntime& node) {
  radio_ = HomeRadioMedium(node.home(), radio_options_).Reattach(node.container_id(), "wlan0");
  docker::ExecResult config = node.Exec({"cat", "/etc/hostapd/cirque.conf"}, std::chrono::seconds(20));
  docker::ExecResult status =
      node.Exec({"hostapd_cli", "-p", "/run/hostapd", "-i", "wlan0", "status"}, std::chrono::seconds(20));
  std::map<std::string, std::string> running = ParseKeyValues(status.stdout_text);
  if (config.exit_code != 0 || status.exit_code != 0 || running["state"] != "ENABLED") {
    throw Error(ErrorCode::kFailedPrecondition, "access point '" + node.node_name() +
                                                    "': hostapd does not run as cirque left it: " +
                                                    LastLines(config.stderr_text + status.stdout_text +
                                                                  status.stderr_text, 3));
  }
  std::map<std::string, std::string> written = ParseKeyValues(config.stdout_text);
  // Enable's defaults, as hostapd got them.
  if (settings_.ssid.empty()) settings_.ssid = "cirque-" + node.home_id();
  if (settings_.passphrase.empty()) {
    settings_.passphrase = !written["wpa_passphrase"].empty() ? written["wpa_passphrase"] : written["sae_password"];
  }
  bssid_ = running["bssid[0]"];
  if (settings_.mode == "bridge") {
    address_ = node.ipv4_address();
  } else {
    docker::ExecResult address =
        node.Exec({"ip", "-4", "-o", "addr", "show", "dev", "wlan0"}, std::chrono::seconds(20));
    std::istringstream words(address.stdout_text);
    for (std::string word, previous; words >> word; previous = word) {
      if (previous == "inet") address_ = word.substr(0, word.find('/'));
    }
  }
}

void WifiAccessPoint::Disable(home::NodeRuntime& node) {
  if (radio_.radio_id < 0) return;
  // hostapd says goodbye to its stations as it stops; the radio itself
  // goes with the node's namespace.
  // A deadline for a hang, not for speed: three pkills took over 10 s in a
  // VM under software emulation while the host was busy.
  node.Exec(ScriptArgv(kApDownScript, "ap-down", {}), std::chrono::seconds(30));
  radio_ = {};
}

std::string WifiAccessPoint::LogTail(home::NodeRuntime& node, int lines) {
  return node.Exec({"tail", "-n", std::to_string(lines), kHostapdLog}, std::chrono::seconds(20)).stdout_text;
}

std::vector<std::string> WifiAccessPoint::Artifacts() const {
  return {kCapture, kHostapdLog, kDnsmasqLog};
}

std::map<std::string, std::string> WifiAccessPoint::Describe() const {
  return {{"role", "access point"},     {"ssid", settings_.ssid},
          {"psk", settings_.passphrase}, {"security", settings_.security},
          {"channel", std::to_string(settings_.channel)}, {"hidden", settings_.hidden ? "yes" : "no"},
          {"mode", settings_.mode},
          {"bssid", bssid_},            {"ipv4_addr", address_}};
}

}  // namespace cirque::capabilities
