// Runs a node-side shell script (capabilities/wifi_scripts.h) on this
// machine, with every tool it calls that would touch the network, the
// radios or other processes replaced by a stub that records its arguments:
// ip, iw, iptables, tcpdump, hostapd, hostapd_cli, dnsmasq, ss,
// wpa_supplicant, wpa_cli, dhclient and pkill. The stubs come first on PATH;
// the script's plain tools (sed, awk, grep, date, sleep) are the real ones.
// So a test can check that each positional parameter lands where the script
// uses it, without a node.
//
// What the script writes under /etc/ goes to the sandbox's etc/ instead:
// the script text is changed in that one respect before it runs (a test
// must not write the machine's /etc). Read it back with File.
//
// The stubs answer as the real tools would when all goes well:
//   wpa_cli: ping -> PONG (nothing when CQ_NO_PONG is set), add_network -> 0,
//            status -> wpa_state=$CQ_WPA_STATE (default COMPLETED),
//            scan_results -> one AP whose SSID is $CQ_SCAN_SSID, else OK
//   hostapd_cli: state=ENABLED and a bssid; ss: a socket on UDP port 67
//   ip: a default route via 10.200.7.1 for "-4 route show default", and
//       192.168.8.57/24 for "-4 -o addr show dev wlan0"
//   the others: exit 0.
#ifndef CIRQUE_CAPABILITIES_TESTING_SCRIPT_STUBS_H_
#define CIRQUE_CAPABILITIES_TESTING_SCRIPT_STUBS_H_

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities::testing {

class ScriptStubs {
 public:
  // Makes a fresh sandbox under $TEST_TMPDIR (or /tmp). Throws Error.
  ScriptStubs();
  // Removes the sandbox.
  ~ScriptStubs();
  ScriptStubs(const ScriptStubs&) = delete;
  ScriptStubs& operator=(const ScriptStubs&) = delete;

  // An environment variable for the stubs (CQ_WPA_STATE, ...).
  void Set(const std::string& name, const std::string& value);

  // Runs `argv` as a node would: {"sh", "-c", <script>, <name>, args...}.
  ProcessResult Run(std::vector<std::string> argv,
                    std::chrono::milliseconds deadline = std::chrono::seconds(20));

  // Every call of stub `command` so far, each as its arguments. Waits up to
  // two seconds for at least `at_least` calls: the scripts start some tools
  // in the background, and those may record after the script ended.
  std::vector<std::vector<std::string>> Calls(const std::string& command, size_t at_least = 0) const;

  // The content of `path` ("/etc/hostapd/cirque.conf") as the script left
  // it in the sandbox; "" when it wrote none.
  std::string File(const std::string& path) const;
  // Where /etc/ of the script is.
  std::string etc() const { return root_ + "/etc/"; }

 private:
  void WriteStub(const std::string& command, const std::string& behaviour);

  std::string root_;
  std::map<std::string, std::string> env_;
};

}  // namespace cirque::capabilities::testing

#endif  // CIRQUE_CAPABILITIES_TESTING_SCRIPT_STUBS_H_
