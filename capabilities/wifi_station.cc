#include "capabilities/wifi_station.h"

#include "capabilities/wifi_scripts.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {

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

void WifiStation::Prepare(home::HomeContext& home) { HomeRadioMedium(home, radio_options_); }

std::vector<home::Requirement> WifiStation::Requirements() const {
  return {HwsimRequirement()};
}

void WifiStation::Configure(docker::ContainerSpec& container) {
  container.security.cap_add.insert(container.security.cap_add.end(), {"NET_ADMIN", "NET_RAW"});
}

docker::ExecResult WifiStation::WpaCli(home::NodeRuntime& node, std::vector<std::string> arguments) {
  std::vector<std::string> argv = {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return node.Exec(argv, std::chrono::seconds(10));
}

// The radio is the node's hardware: attached as soon as the container
// runs, also in a home made ahead of need; it goes with the node.
void WifiStation::Equip(home::NodeRuntime& node) {
  home::Timeline::Scope step(node.home().timeline(), "attach radio " + node.node_name());
  radio_ = HomeRadioMedium(node.home(), radio_options_).Attach(node.container_id(), node.host_pid(), "wlan0");
}

void WifiStation::Enable(home::NodeRuntime& node) {
  docker::ExecResult result =
      node.Exec(ScriptArgv(kStationUpScript, "station-up", {ScriptSeconds(kWifiStartDeadline)}), kWifiStartDeadline + kWifiExecMargin);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "station '" + node.node_name() + "': " + result.stderr_text);
  }
}

void WifiStation::Adopt(home::NodeRuntime& node) {
  radio_ = HomeRadioMedium(node.home(), radio_options_).Reattach(node.container_id(), "wlan0");
  address_ = Address(node);
}

void WifiStation::Disable(home::NodeRuntime& node) {
  (void)node;
  if (radio_.radio_id < 0) return;
  // The daemons and the radio go with the node; nothing outside it to undo.
  radio_ = {};
}

namespace {

// The scan script's column of scan_results to wait on.
constexpr const char* kSsidColumn = "5";
constexpr const char* kBssidColumn = "1";

std::vector<ScanEntry> ScanUntil(home::NodeRuntime& node, const std::string& want, const char* column, int channel,
                                 std::chrono::milliseconds deadline) {
  std::string frequency = channel > 0 ? std::to_string(ChannelFrequency(channel)) : SimulatedFrequencies();
  docker::ExecResult result = node.Exec(ScriptArgv(kScanScript, "scan", {want, frequency, ScriptSeconds(deadline), column}),
                                        deadline + kWifiExecMargin);
  return ParseScanResults(result.stdout_text);
}

}  // namespace

std::vector<ScanEntry> WifiStation::Scan(home::NodeRuntime& node, const std::string& ssid, int channel,
                                         std::chrono::milliseconds deadline) {
  return ScanUntil(node, ssid, kSsidColumn, channel, deadline);
}

std::vector<ScanEntry> WifiStation::ScanForBssid(home::NodeRuntime& node, const std::string& bssid, int channel,
                                                 std::chrono::milliseconds deadline) {
  return ScanUntil(node, bssid, kBssidColumn, channel, deadline);
}

void WifiStation::Connect(home::NodeRuntime& node, const std::string& ssid, const std::string& passphrase,
                          const std::string& security, int channel) {
  std::string frequency = channel > 0 ? std::to_string(ChannelFrequency(channel)) : "";
  for (unsigned char c : passphrase) {
    if (c < 0x20 || c > 0x7e) {
      throw Error(ErrorCode::kInvalidArgument, "station '" + node.node_name() + "': connecting to '" + ssid +
                                                   "': the passphrase holds a control or non-ASCII character; "
                                                   "WPA passphrases are printable ASCII");
    }
  }
  docker::ExecResult result = node.Exec(
      ScriptArgv(kConnectScript, "connect", {SsidHex(ssid), security, passphrase, frequency}), std::chrono::seconds(30));
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInvalidArgument, "station '" + node.node_name() + "': connecting to '" + ssid +
                                                 "': " + result.stderr_text + result.stdout_text);
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
  docker::ExecResult result =
      node.Exec(ScriptArgv(kWaitAssociatedScript, "wait-associated", {ScriptSeconds(deadline)}), deadline + kWifiExecMargin);
  std::map<std::string, std::string> values = ParseKeyValues(result.stdout_text);
  WifiStatus status;
  status.station = node.node_name();
  status.state = values["wpa_state"];
  status.ssid = values["ssid"];
  status.bssid = values["bssid"];
  if (!status.associated()) status.log_tail = result.stderr_text;
  return status;
}

void WifiStation::Disconnect(home::NodeRuntime& node) {
  WpaCli(node, {"disconnect"});
  WpaCli(node, {"remove_network", "all"});
}

LeaseResult WifiStation::RequestLease(home::NodeRuntime& node, std::chrono::seconds deadline) {
  LeaseResult lease;
  lease.station = node.node_name();
  docker::ExecResult result =
      node.Exec(ScriptArgv(kLeaseScript, "lease", {ScriptSeconds(deadline)}), deadline + kWifiExecMargin);
  lease.output = result.stdout_text + result.stderr_text;
  if (result.exit_code == 0) lease.address = ParseKeyValues(result.stdout_text)["address"];
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
