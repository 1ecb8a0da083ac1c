#include "capabilities/testing/script_stubs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cirque_test/util/error.h"

namespace cirque::capabilities::testing {
namespace {

namespace fs = std::filesystem;

// Separators of the call records: unit separator between arguments, record
// separator after each call; no argument a script passes holds either.
constexpr char kArgumentEnd = '\037';
constexpr char kCallEnd = '\036';

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

ScriptStubs::ScriptStubs() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/script-stubs-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw Error(ErrorCode::kInternal, "cannot make " + pattern);
  root_ = pattern;
  for (const char* dir : {"bin", "calls", "etc/hostapd", "etc/wpa_supplicant", "etc/dhcp"}) {
    fs::create_directories(root_ + "/" + dir);
  }
  WriteStub("wpa_cli", R"sh(shift 4
case "$1" in
  ping) [ -n "${CQ_NO_PONG:-}" ] || echo PONG ;;
  add_network) echo 0 ;;
  status) printf 'wpa_state=%s\nssid=stub\nbssid=02:00:00:00:08:00\n' "${CQ_WPA_STATE:-COMPLETED}" ;;
  scan_results) printf 'bssid / frequency / signal level / flags / ssid\n02:00:00:00:08:00\t2437\t-30\t[WPA2-PSK-CCMP][ESS]\t%s\n' "${CQ_SCAN_SSID:-}" ;;
  *) echo OK ;;
esac)sh");
  WriteStub("hostapd_cli", R"sh(printf 'state=ENABLED\nbssid[0]=02:00:00:00:08:00\nchannel=6\nfreq=2437\n')sh");
  WriteStub("ss", R"sh(echo 'UNCONN 0 0 0.0.0.0:67 0.0.0.0:*')sh");
  WriteStub("ip", R"sh(case "$*" in
  "-4 route show default") echo 'default via 10.200.7.1 dev eth0' ;;
  "-4 -o addr show dev wlan0") echo '7: wlan0    inet 192.168.8.57/24 brd 192.168.8.255 scope global wlan0' ;;
esac)sh");
  for (const char* quiet : {"iw", "iptables", "tcpdump", "hostapd", "dnsmasq", "wpa_supplicant", "dhclient", "pkill"}) {
    WriteStub(quiet, "");
  }
}

ScriptStubs::~ScriptStubs() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

void ScriptStubs::WriteStub(const std::string& command, const std::string& behaviour) {
  // The record is made whole first and written in one go, so calls that
  // run at once do not mix their arguments.
  std::string path = root_ + "/bin/" + command;
  std::ofstream(path) << "#!/bin/sh\n"
                      << "record=\nfor argument in \"$@\"; do record=\"$record$argument$(printf '\\037')\"; done\n"
                      << "printf '%s\\036' \"$record\" >> '" << root_ << "/calls/" << command << "'\n"
                      << behaviour << "\nexit 0\n";
  chmod(path.c_str(), 0755);
}

void ScriptStubs::Set(const std::string& name, const std::string& value) { env_[name] = value; }

ProcessResult ScriptStubs::Run(std::vector<std::string> argv, std::chrono::milliseconds deadline) {
  if (argv.size() < 4 || argv[0] != "sh" || argv[1] != "-c") {
    throw Error(ErrorCode::kInvalidArgument, "ScriptStubs::Run takes {\"sh\", \"-c\", script, name, ...}");
  }
  argv[2] = ReplaceAll(argv[2], "/etc/", etc());
  // A clean environment: only the stubs' PATH and the test's variables.
  std::vector<std::string> command = {"/usr/bin/env", "-i", "PATH=" + root_ + "/bin:/usr/bin:/bin", "HOME=/"};
  for (const auto& [name, value] : env_) command.push_back(name + "=" + value);
  command.insert(command.end(), argv.begin(), argv.end());
  return RunProcess(command, {.deadline = deadline});
}

std::vector<std::vector<std::string>> ScriptStubs::Calls(const std::string& command, size_t at_least) const {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    std::vector<std::vector<std::string>> calls;
    std::string text = ReadAll(root_ + "/calls/" + command);
    std::vector<std::string> arguments;
    std::string argument;
    for (char c : text) {
      if (c == kArgumentEnd) {
        arguments.push_back(argument);
        argument.clear();
      } else if (c == kCallEnd) {
        calls.push_back(arguments);
        arguments.clear();
      } else {
        argument += c;
      }
    }
    if (calls.size() >= at_least || std::chrono::steady_clock::now() > give_up) return calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ScriptStubs::File(const std::string& path) const {
  if (path.rfind("/etc/", 0) != 0) throw Error(ErrorCode::kInvalidArgument, "only /etc/ is kept in the sandbox");
  return ReadAll(etc() + path.substr(5));
}

}  // namespace cirque::capabilities::testing
