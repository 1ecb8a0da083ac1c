// The shell steps the WiFi capabilities run inside their nodes, one exec
// per step. On a slow engine (the TCG VM) every exec costs a runc start of
// about half a second, so a step that waits (hostapd enabled, associated,
// a lease) polls inside the node, under its own deadline, instead of
// costing one exec per poll.
//
// The scripts are constants of this file. Whatever comes from a test (an
// SSID, a passphrase) reaches them only as positional arguments
// ("$1", ...), never as shell text:  sh -c <script> <name> <arguments...>.
//
// Each script exits 0 on success and prints key=value lines; on failure it
// exits non-zero and says what it waited for on stderr, with the tail of the
// daemon's log.
#ifndef CIRQUE_CAPABILITIES_WIFI_SCRIPTS_H_
#define CIRQUE_CAPABILITIES_WIFI_SCRIPTS_H_

#include <chrono>
#include <string>
#include <vector>

namespace cirque::capabilities {

// Where the daemons log and the capture goes, inside the node.
inline constexpr const char* kHostapdLog = "/var/log/cirque-hostapd.log";
inline constexpr const char* kDnsmasqLog = "/var/log/cirque-dnsmasq.log";
inline constexpr const char* kCapture = "/var/log/cirque-wlan.pcap";
inline constexpr const char* kSupplicantLog = "/var/log/cirque-wpa_supplicant.log";

// ap-up PHY ADDRESS/24 CONFIG DEADLINE_S RANGE_START RANGE_END MODE SUBNET
//   MODE is "router" (NAT of SUBNET out of eth0) or "bridge" (wlan0 and eth0
//   in br0; ADDRESS is then eth0's, moved to br0). Starts the capture on a
//   monitor interface of PHY, hostapd with CONFIG, dnsmasq on the range.
//   Prints bssid=, state=.
extern const char* const kApUpScript;
// ap-down: stops dnsmasq, hostapd, the capture.
extern const char* const kApDownScript;
// station-up DEADLINE_S: starts wpa_supplicant on wlan0, waits for its
// control interface.
extern const char* const kStationUpScript;
// scan SSID FREQ DEADLINE_S: scans (on FREQ MHz only when not empty) until
// SSID is in the results, or for the whole deadline when SSID is empty.
// Prints wpa_cli scan_results. Exits 1 when SSID was not found.
extern const char* const kScanScript;
// connect SSID_HEX SECURITY PASSPHRASE FREQ: adds and selects the network.
//   The SSID comes as hex (SsidHex), which wpa_supplicant takes unquoted;
//   the passphrase must be printable ASCII (quoted for wpa_supplicant).
extern const char* const kConnectScript;
// wait-associated DEADLINE_S: polls wpa_cli status until COMPLETED.
// Prints the status; exits 1 on the deadline, with the log's tail on stderr.
extern const char* const kWaitAssociatedScript;
// lease DEADLINE_S: dhclient on wlan0 (one try); prints address= on
// success, dhclient's output on failure.
extern const char* const kLeaseScript;

// How long a daemon may take to come up (hostapd, wpa_supplicant).
inline constexpr std::chrono::seconds kWifiStartDeadline{60};
// An exec outlives its script's own deadline by this much, so the script's
// message (what it waited for) is the one reported.
inline constexpr std::chrono::seconds kWifiExecMargin{20};

// A deadline as the scripts take it: whole seconds, at least one.
std::string ScriptSeconds(std::chrono::milliseconds deadline);

// {"sh", "-c", script, name, arguments...}
std::vector<std::string> ScriptArgv(const char* script, const std::string& name,
                                    const std::vector<std::string>& arguments);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_SCRIPTS_H_
