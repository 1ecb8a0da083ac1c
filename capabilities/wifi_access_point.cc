#include "capabilities/wifi_access_point.h"

#include "capabilities/wifi_parsing.h"
#include "capabilities/wifi_wait.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(60);
constexpr const char* kHostapdLog = "/var/log/cirque-hostapd.log";
constexpr const char* kDnsmasqLog = "/var/log/cirque-dnsmasq.log";
constexpr const char* kCapture = "/var/log/cirque-wlan.pcap";

void Must(home::NodeRuntime& node, const std::vector<std::string>& argv, const std::string& what) {
  docker::ExecResult result = node.Exec(argv, std::chrono::seconds(20));
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "access point '" + node.node_name() + "': " + what + ": '" +
                                          JoinArgv(argv) + "' exited " + std::to_string(result.exit_code) +
                                          ": " + LastLines(result.stderr_text + result.stdout_text, 3));
  }
}

}  // namespace

std::vector<home::Requirement> WifiAccessPoint::Requirements() const {
  return {{home::Requirement::Kind::kKernelFeature, "hwsim", "for the access point's radio"}};
}

void WifiAccessPoint::Configure(docker::ContainerSpec& container) {
  // hostapd and dnsmasq configure wlan0 and answer DHCP (raw sockets);
  // router mode forwards and NATs.
  container.security.cap_add.insert(container.security.cap_add.end(), {"NET_ADMIN", "NET_RAW"});
  if (settings_.router) container.security.sysctls["net.ipv4.ip_forward"] = "1";
}

void WifiAccessPoint::Enable(home::NodeRuntime& node) {
  if (settings_.ssid.empty()) settings_.ssid = "cirque-" + node.home_id();
  if (settings_.security != "open" && settings_.passphrase.empty()) {
    settings_.passphrase = "cq-" + home::NewId() + home::NewId();
  }
  radio_ = node.AttachRadio("wlan0");
  // The capture starts before hostapd, so it holds the AP's whole life.
  Must(node, {"iw", "phy", radio_.phy, "interface", "add", "cqmon0", "type", "monitor"}, "adding a monitor");
  Must(node, {"ip", "link", "set", "cqmon0", "up"}, "raising the monitor");
  node.ExecBackground({"tcpdump", "-i", "cqmon0", "-U", "-w", kCapture});
  address_ = "192.168." + std::to_string(radio_.radio_id % 250 + 1) + ".1";
  const std::string prefix = address_.substr(0, address_.size() - 1);
  Must(node, {"ip", "addr", "add", address_ + "/24", "dev", "wlan0"}, "addressing wlan0");
  node.WriteFile("/etc/hostapd/cirque.conf", HostapdConfig(settings_, "wlan0"), 0600);
  node.ExecBackground({"hostapd", "-f", kHostapdLog, "/etc/hostapd/cirque.conf"});
  std::map<std::string, std::string> status;
  bool enabled = WaitUntil(
      [&] {
        status = ParseKeyValues(node.Exec({"hostapd_cli", "-p", "/run/hostapd", "-i", "wlan0", "status"},
                                          std::chrono::seconds(20))
                                    .stdout_text);
        return status["state"] == "ENABLED";
      },
      kStartDeadline);
  if (!enabled) {
    throw Error(ErrorCode::kDeadlineExceeded,
                "access point '" + node.node_name() + "': hostapd not enabled within " +
                    std::to_string(kStartDeadline.count()) + " s (state '" + status["state"] +
                    "'); hostapd log ends:\n" + LogTail(node));
  }
  bssid_ = status["bssid[0]"];
  node.ExecBackground({"dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--port=0",
                       "--no-ping", "--interface=wlan0", "--bind-interfaces",
                       "--dhcp-range=" + prefix + "10," + prefix + "200,255.255.255.0,1h",
                       "--dhcp-option=option:router," + address_, "--dhcp-leasefile=/run/cirque-dnsmasq.leases",
                       "--log-dhcp", "--log-facility=" + std::string(kDnsmasqLog)});
  bool listening = WaitUntil(
      [&] { return node.Exec({"ss", "-Hlun", "sport", "=", ":67"}, std::chrono::seconds(20)).stdout_text.find(":67") != std::string::npos; },
      kStartDeadline);
  if (!listening) {
    throw Error(ErrorCode::kDeadlineExceeded, "access point '" + node.node_name() +
                                                  "': dnsmasq not listening on UDP 67 within " +
                                                  std::to_string(kStartDeadline.count()) + " s");
  }
  if (settings_.router) {
    Must(node, {"iptables", "-t", "nat", "-A", "POSTROUTING", "-s", prefix + "0/24", "-o", "eth0", "-j", "MASQUERADE"},
         "NAT out of eth0");
  }
}

void WifiAccessPoint::Disable(home::NodeRuntime& node) {
  if (radio_.radio_id < 0) return;
  node.Exec({"pkill", "-x", "hostapd"}, std::chrono::seconds(10));
  node.Exec({"pkill", "-x", "dnsmasq"}, std::chrono::seconds(10));
  node.Exec({"pkill", "-x", "tcpdump"}, std::chrono::seconds(10));
  home::RadioAttachment radio = radio_;
  radio_ = {};
  node.DetachRadio(radio);
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
          {"bssid", bssid_},            {"ipv4_addr", address_}};
}

}  // namespace cirque::capabilities
