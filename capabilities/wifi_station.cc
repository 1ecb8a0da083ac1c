#include "capabilities/wifi_station.h"

#include "capabilities/wifi_wait.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(60);
constexpr const char* kSupplicantLog = "/var/log/cirque-wpa_supplicant.log";

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

}  // namespace

void PrintTo(const WifiStatus& status, std::ostream* out) {
  *out << "station '" << status.station << "' in state " << status.state;
  if (!status.ssid.empty()) *out << " on '" << status.ssid << "' (" << status.bssid << ")";
  if (!status.associated() && !status.log_tail.empty()) *out << "; wpa_supplicant log ends:\n" << status.log_tail;
}

void PrintTo(const LeaseResult& lease, std::ostream* out) {
  *out << "station '" << lease.station << "' "
       << (lease.address.empty() ? "got no lease; dhclient said: " + LastLines(lease.output, 5)
                                 : "leased " + lease.address);
}

std::vector<home::Requirement> WifiStation::Requirements() const {
  return {{home::Requirement::Kind::kKernelFeature, "hwsim", "for the station's radio"}};
}

void WifiStation::Configure(docker::ContainerSpec& container) {
  container.security.cap_add.insert(container.security.cap_add.end(), {"NET_ADMIN", "NET_RAW"});
}

docker::ExecResult WifiStation::WpaCli(home::NodeRuntime& node, std::vector<std::string> arguments) {
  std::vector<std::string> argv = {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return node.Exec(argv, std::chrono::seconds(10));
}

void WifiStation::Enable(home::NodeRuntime& node) {
  radio_ = node.AttachRadio("wlan0");
  node.WriteFile("/etc/wpa_supplicant/cirque.conf", "ctrl_interface=/run/wpa_supplicant\nupdate_config=0\n", 0600);
  node.ExecBackground({"wpa_supplicant", "-i", "wlan0", "-D", "nl80211", "-c",
                       "/etc/wpa_supplicant/cirque.conf", "-f", kSupplicantLog});
  if (!WaitUntil([&] { return WpaCli(node, {"ping"}).stdout_text.find("PONG") != std::string::npos; },
                 kStartDeadline)) {
    throw Error(ErrorCode::kDeadlineExceeded, "station '" + node.node_name() +
                                                  "': wpa_supplicant did not answer within " +
                                                  std::to_string(kStartDeadline.count()) +
                                                  " s; its log ends:\n" + LogTail(node));
  }
}

void WifiStation::Disable(home::NodeRuntime& node) {
  if (radio_.radio_id < 0) return;
  node.Exec({"pkill", "-x", "dhclient"}, std::chrono::seconds(10));
  node.Exec({"pkill", "-x", "wpa_supplicant"}, std::chrono::seconds(10));
  home::RadioAttachment radio = radio_;
  radio_ = {};
  node.DetachRadio(radio);
}

std::vector<ScanEntry> WifiStation::Scan(home::NodeRuntime& node, const std::string& ssid, int channel,
                                         std::chrono::milliseconds deadline) {
  std::vector<std::string> request = {"scan"};
  if (channel > 0) request.push_back("freq=" + std::to_string(ChannelFrequency(channel)));
  std::vector<ScanEntry> found;
  WaitUntil(
      [&] {
        std::string answer = WpaCli(node, request).stdout_text;
        found = ParseScanResults(WpaCli(node, {"scan_results"}).stdout_text);
        if (ssid.empty()) return false;
        for (const auto& entry : found) {
          if (entry.ssid == ssid) return true;
        }
        (void)answer;
        return false;
      },
      deadline);
  return found;
}

void WifiStation::Connect(home::NodeRuntime& node, const std::string& ssid, const std::string& passphrase,
                          const std::string& security, int channel) {
  std::string id = WpaCli(node, {"add_network"}).stdout_text;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  std::vector<std::vector<std::string>> settings = {{"ssid", Quoted(ssid)}, {"scan_ssid", "1"}};
  if (security == "open") {
    settings.push_back({"key_mgmt", "NONE"});
  } else if (security == "wpa3") {
    settings.insert(settings.end(), {{"key_mgmt", "SAE"}, {"sae_password", Quoted(passphrase)}, {"ieee80211w", "2"}});
  } else {
    settings.insert(settings.end(), {{"key_mgmt", "WPA-PSK"}, {"psk", Quoted(passphrase)}, {"pairwise", "CCMP"}});
  }
  if (channel > 0) {
    std::string frequency = std::to_string(ChannelFrequency(channel));
    settings.insert(settings.end(), {{"scan_freq", frequency}, {"freq_list", frequency}});
  }
  for (const auto& setting : settings) {
    docker::ExecResult result = WpaCli(node, {"set_network", id, setting[0], setting[1]});
    if (result.stdout_text.find("OK") == std::string::npos) {
      throw Error(ErrorCode::kInvalidArgument, "station '" + node.node_name() + "': wpa_cli set_network " +
                                                   setting[0] + " refused: " + result.stdout_text);
    }
  }
  docker::ExecResult enabled = WpaCli(node, {"select_network", id});
  if (enabled.stdout_text.find("OK") == std::string::npos) {
    throw Error(ErrorCode::kInternal, "station '" + node.node_name() + "': wpa_cli select_network: " +
                                          enabled.stdout_text);
  }
}

WifiStatus WifiStation::Status(home::NodeRuntime& node) {
  std::map<std::string, std::string> values = ParseKeyValues(WpaCli(node, {"status"}).stdout_text);
  WifiStatus status;
  status.station = node.node_name();
  status.state = values["wpa_state"];
  status.ssid = values["ssid"];
  status.bssid = values["bssid"];
  return status;
}

WifiStatus WifiStation::WaitAssociated(home::NodeRuntime& node, std::chrono::milliseconds deadline) {
  WifiStatus status;
  WaitUntil(
      [&] {
        status = Status(node);
        return status.associated();
      },
      deadline);
  if (!status.associated()) status.log_tail = LogTail(node);
  return status;
}

void WifiStation::Disconnect(home::NodeRuntime& node) {
  WpaCli(node, {"disconnect"});
  WpaCli(node, {"remove_network", "all"});
}

LeaseResult WifiStation::RequestLease(home::NodeRuntime& node, std::chrono::seconds deadline) {
  LeaseResult lease;
  lease.station = node.node_name();
  // -1: try once, for at most `timeout` seconds (set in the config below).
  node.WriteFile("/etc/dhcp/cirque-dhclient.conf",
                 "timeout " + std::to_string(deadline.count()) + ";\nretry 1;\n", 0644);
  docker::ExecResult result =
      node.Exec({"dhclient", "-1", "-v", "-cf", "/etc/dhcp/cirque-dhclient.conf", "-pf",
                 "/run/cirque-dhclient.pid", "-lf", "/run/cirque-dhclient.leases", "wlan0"},
                deadline + std::chrono::seconds(10));
  lease.output = result.stdout_text + result.stderr_text;
  if (result.exit_code == 0) lease.address = Address(node);
  address_ = lease.address;
  return lease;
}

std::string WifiStation::Address(home::NodeRuntime& node) {
  std::string output = node.Exec({"ip", "-4", "-o", "addr", "show", "dev", "wlan0"}, std::chrono::seconds(20)).stdout_text;
  size_t inet = output.find("inet ");
  if (inet == std::string::npos) return "";
  size_t start = inet + 5;
  return output.substr(start, output.find('/', start) - start);
}

std::string WifiStation::LogTail(home::NodeRuntime& node, int lines) {
  return node.Exec({"tail", "-n", std::to_string(lines), kSupplicantLog}, std::chrono::seconds(20)).stdout_text;
}

std::vector<std::string> WifiStation::Artifacts() const { return {kSupplicantLog}; }

std::map<std::string, std::string> WifiStation::Describe() const {
  return {{"role", "station"}, {"ipv4_addr", address_}, {"radio", radio_.phy}};
}

}  // namespace cirque::capabilities
