#include "capabilities/wifi_radio_medium.h"

#include <sstream>
#include <thread>

#include "capabilities/built_tool.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/program_install.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::capabilities {
namespace {

// hwsim_ctl's bytes; throws naming the fix when the tool is missing.
constexpr BuiltTool kHwsimCtl{"CIRQUE_HWSIM_CTL", "cirque_test/radio/hwsim_ctl", "//cirque_test/radio:hwsim_ctl"};

std::string ReadHwsimCtl(const std::string& path) { return ReadBuiltTool(kHwsimCtl, path); }


constexpr const char* kHwsimCtlPath = "/usr/local/bin/hwsim_ctl";

// A tar of hwsim_ctl, to extract into /usr/local/bin.
std::string HwsimCtlArchive(const std::string& tool) {
  TarWriter tar;
  tar.AddFile("hwsim_ctl", tool, 0755);
  return tar.Finish();
}

// Makes radio $1, names its interface $3 and moves its phy into the
// network namespace of pid $2. If a step fails, the radio stays in the
// helper's namespace and goes with it. Attaches run at once (on a slow
// engine each exec costs a second or more under load), but their steps
// hold a lock: the kernel names a new interface here "wlan<n>", the first
// free number, so a radio made beside another's rename could take $3.
constexpr const char* kAttachScript = R"sh(
set -e
phy=$1 pid=$2 name=$3
exec 9>/tmp/cirque-attach.lock
flock -w 50 9 || { echo "another attach held the helper's lock for 50 s" >&2; exit 75; }
made=$(hwsim_ctl new "$phy")
created=$(ls "/sys/class/ieee80211/$phy/device/net")
if [ "$created" != "$name" ]; then ip link set "$created" name "$name"; fi
iw phy "$phy" set netns "$pid"
echo "$made"
)sh";


// The number at the start of `text`, or -1.
int ParseRadioId(const std::string& text) {
  int id = 0;
  size_t digits = 0;
  while (digits < text.size() && digits < 9 && text[digits] >= '0' && text[digits] <= '9') {
    id = id * 10 + (text[digits++] - '0');
  }
  return digits == 0 ? -1 : id;
}

}  // namespace

std::string FindHwsimCtl() { return FindBuiltTool(kHwsimCtl); }

RadioMedium& HomeRadioMedium(home::HomeContext& home, const WifiRadioOptions& options) {
  return home.Resource<RadioMedium>(RadioMedium::kResourceKey, [&home, &options] {
    std::string tool = options.hwsim_ctl_path.empty() ? FindHwsimCtl() : options.hwsim_ctl_path;
    return std::make_unique<RadioMedium>(home, home.ResolveImage(options.image), tool);
  });
}

home::Requirement HwsimRequirement() {
  // Loaded as a module (/sys/module) or built in (/sys/class).
  return {.kind = home::Requirement::Kind::kEngineFeature,
          .name = "hwsim",
          .why = "for simulated WiFi radios",
          .probe = "test -d /sys/module/mac80211_hwsim -o -d /sys/class/mac80211_hwsim",
          .fix = "use an engine whose kernel has it: `tools/test --tier vm` runs these tests in a VM, "
                 "or load the module (modprobe mac80211_hwsim) on the engine host"};
}

RadioMedium::RadioMedium(home::HomeContext& home, const std::string& image, const std::string& hwsim_ctl_path)
    : client_(home.client()), home_id_(home.id()) {
  tool_ = ReadHwsimCtl(hwsim_ctl_path);
  docker::ContainerSpec spec;
  spec.image = image;
  spec.name = home.ResourceName("radios");
  spec.labels = home.ResourceLabels("radios");
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.process.init = true;
  spec.network.disabled = true;  // a namespace of the home's own; no engine network set-up
  spec.security.pid_mode = "host";     // to name nodes' namespaces by pid
  spec.security.cap_add = {"NET_ADMIN"};
  try {
    helper_id_ = client_.CreateContainer(spec);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kConflict) throw;
    // The name is taken: by this home's helper, made by an earlier process.
    docker::ContainerInfo earlier = client_.InspectContainer(spec.name);
    if (earlier.labels[home::kHomeLabel] != home_id_) throw;
    helper_id_ = earlier.id;
    if (earlier.state.running) {
      helper_ready_ = std::async(std::launch::async, [this] { InstallTool(helper_id_); });
      return;
    }
  }
  // The running helper and the tool in it are needed at the first Attach,
  // not before: the start and the copy overlap with the nodes' own starts.
  helper_ready_ = std::async(std::launch::async, [this] {
    client_.StartContainer(helper_id_);
    InstallTool(helper_id_);
  });
}

void RadioMedium::Release() {
  if (helper_ready_.valid()) helper_ready_.wait();
  helper_id_.clear();
}

RadioMedium::~RadioMedium() {
  try {
    if (helper_ready_.valid()) helper_ready_.wait();
    if (helper_id_.empty()) return;  // released
    client_.RemoveContainer(helper_id_, true);
  } catch (const std::exception&) {
    // Labelled: the reaper removes it.
  }
}

void RadioMedium::InstallTool(const std::string& container_id) {
  // Down an exec, not as an archive (program_install.h).
  home::InstallProgram(client_, container_id, kHwsimCtlPath, tool_, std::chrono::seconds(30));
}

void CopyHwsimCtl(docker::DockerClient& client, const std::string& container_id,
                  const std::string& hwsim_ctl_path) {
  client.CopyToContainer(container_id, "/usr/local/bin", HwsimCtlArchive(ReadHwsimCtl(hwsim_ctl_path)));
}

docker::ExecResult RadioMedium::MustRun(const std::string& container_id, const std::vector<std::string>& argv,
                                        const std::string& what, std::chrono::milliseconds deadline) {
  docker::ExecResult result = client_.Exec(container_id, {.cmd = argv, .deadline = deadline});
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "radio medium: " + what + ": '" + JoinArgv(argv) + "' exited " +
                                          std::to_string(result.exit_code) + ": " +
                                          LastLines(result.stderr_text + result.stdout_text, 3));
  }
  return result;
}

RadioAttachment RadioMedium::Attach(const std::string& container_id, int node_pid,
                                    const std::string& interface) {
  (void)container_id;
  // One exec does it all: on a slow engine each exec costs a runc start.
  RadioAttachment radio;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (helper_ready_.valid()) {
      try {
        helper_ready_.get();
      } catch (...) {
        helper_error_ = std::current_exception();
      }
    }
    if (helper_error_) std::rethrow_exception(helper_error_);  // the start's or the copy's, for every attach
    radio.phy = "cq" + home_id_.substr(0, 8) + "-" + std::to_string(next_radio_++);
  }
  // A deadline for the attaches queued before this one too (the lock).
  std::string made = MustRun(helper_id_, {"sh", "-c", kAttachScript, "attach", radio.phy,
                                          std::to_string(node_pid), interface},
                             "making a radio and moving it into the node", std::chrono::seconds(60))
                         .stdout_text;
  size_t space = made.find(' ');
  if (made.rfind("radio ", 0) != 0 || space == std::string::npos) {
    throw Error(ErrorCode::kInternal, "radio medium: unexpected answer from hwsim_ctl: '" + made + "'");
  }
  radio.radio_id = ParseRadioId(made.substr(space + 1));
  if (radio.radio_id < 0) {
    throw Error(ErrorCode::kInternal, "radio medium: hwsim_ctl answered a radio id that is not a number: '" + made + "'");
  }
  radio.interface = interface;
  return radio;
}

RadioAttachment RadioMedium::Reattach(const std::string& container_id, const std::string& interface) {
  docker::ExecResult found = client_.Exec(
      container_id, {.cmd = {"sh", "-c", "cat /sys/class/net/\"$1\"/phy80211/name && "
                                         "basename \"$(readlink /sys/class/net/\"$1\"/phy80211/device)\"",
                             "reattach", interface},
                     .deadline = std::chrono::seconds(20)});
  std::istringstream lines(found.stdout_text);
  RadioAttachment radio;
  std::string device;
  std::getline(lines, radio.phy);
  std::getline(lines, device);
  const std::string head = "cq" + home_id_.substr(0, 8) + "-";
  if (found.exit_code != 0 || radio.phy.rfind(head, 0) != 0) {
    throw Error(ErrorCode::kFailedPrecondition, "radio medium: the node has no radio of this home as " + interface +
                                                    " (phy '" + radio.phy + "'): " +
                                                    LastLines(found.stderr_text, 2));
  }
  int number = ParseRadioId(radio.phy.substr(head.size()));
  // hwsim names its devices "hwsim<radio id>".
  radio.radio_id = device.rfind("hwsim", 0) == 0 ? ParseRadioId(device.substr(5)) : -1;
  if (radio.radio_id < 0) radio.radio_id = 0;  // attached, whatever its number
  radio.interface = interface;
  std::lock_guard<std::mutex> lock(mutex_);
  if (number >= next_radio_) next_radio_ = number + 1;
  return radio;
}

}  // namespace cirque::capabilities
