#include "cirque_test/home/radio_medium.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::home {
namespace {

namespace fs = std::filesystem;

// hwsim_ctl's bytes; throws naming the fix when the tool is missing.
std::string ReadHwsimCtl(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  if (content.str().empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "radio medium: the hwsim_ctl tool is missing at '" + path +
                    "'; build it (bazel build //cirque_test/radio:hwsim_ctl) or set CIRQUE_HWSIM_CTL");
  }
  return content.str();
}

// A tar of hwsim_ctl, to extract into /usr/local/bin.
std::string HwsimCtlArchive(const std::string& tool) {
  TarWriter tar;
  tar.AddFile("hwsim_ctl", tool, 0755);
  return tar.Finish();
}

// Makes radio $1, names its interface $3 and moves its phy into the
// network namespace of pid $2. If a step fails, the radio stays in the
// helper's namespace and goes with it.
constexpr const char* kAttachScript = R"sh(
set -e
phy=$1 pid=$2 name=$3
made=$(hwsim_ctl new "$phy")
created=$(ls "/sys/class/ieee80211/$phy/device/net")
if [ "$created" != "$name" ]; then ip link set "$created" name "$name"; fi
iw phy "$phy" set netns "$pid"
echo "$made"
)sh";

// Printed by the helper after its startup script.
constexpr const char* kStartupDone = "cirque-radios-startup-done";

}  // namespace

std::string FindHwsimCtl() {
  if (const char* path = std::getenv("CIRQUE_HWSIM_CTL"); path != nullptr && *path != '\0') return path;
  std::vector<std::string> candidates = {"cirque_test/radio/hwsim_ctl", "bazel-bin/cirque_test/radio/hwsim_ctl"};
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY"); workspace != nullptr) {
    candidates.push_back(std::string(workspace) + "/bazel-bin/cirque_test/radio/hwsim_ctl");
  }
  for (const auto& candidate : candidates) {
    if (fs::exists(candidate)) return candidate;
  }
  return "";
}

RadioMedium::RadioMedium(docker::DockerClient& client, const std::string& image,
                         const std::string& home_id, const std::string& hwsim_ctl_path,
                         const std::string& startup_script)
    : client_(client), home_id_(home_id) {
  tool_ = ReadHwsimCtl(hwsim_ctl_path);
  docker::ContainerSpec spec;
  spec.image = image;
  spec.name = "cirque-" + home_id + "-radios";
  spec.labels = HomeLabels(home_id);
  spec.labels[kRoleLabel] = "radios";
  // The startup script runs as the helper's first act; its output is read
  // from the logs (no exec needed). Then the helper idles.
  spec.process.entrypoint = std::vector<std::string>{
      "sh", "-c", "sh -c \"$1\"; echo " + std::string(kStartupDone) + "; exec sleep infinity", "radios",
      startup_script};
  spec.process.cmd = {};
  spec.process.init = true;
  spec.network.network_mode = "none";  // a namespace of the home's own
  spec.security.pid_mode = "host";     // to name nodes' namespaces by pid
  spec.security.cap_add = {"NET_ADMIN"};
  helper_id_ = client_.CreateContainer(spec);
  // The tool is needed at the first Attach, not before: copying it (slow on
  // an emulated engine) overlaps with whatever the home does meanwhile.
  tool_installed_ = std::async(std::launch::async, [this] { InstallTool(helper_id_); });
  try {
    client_.StartContainer(helper_id_);
  } catch (...) {
    tool_installed_.wait();
    try {
      client_.RemoveContainer(helper_id_, true);
    } catch (const Error&) {
    }
    throw;
  }
}

RadioMedium::~RadioMedium() {
  try {
    if (tool_installed_.valid()) tool_installed_.wait();
    client_.RemoveContainer(helper_id_, true);
  } catch (const Error&) {
    // Labelled: the reaper removes it.
  }
}

std::string RadioMedium::StartupOutput(std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::string output = client_.Logs(helper_id_).stdout_text;
    size_t done = output.find(kStartupDone);
    if (done != std::string::npos) return output.substr(0, done);
    if (std::chrono::steady_clock::now() >= end) {
      throw Error(ErrorCode::kDeadlineExceeded, "radio medium: the helper's startup script did not finish within " +
                                                    std::to_string(deadline.count()) + " ms; its output: " + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void RadioMedium::InstallTool(const std::string& container_id) {
  client_.CopyToContainer(container_id, "/usr/local/bin", HwsimCtlArchive(tool_));
}

void CopyHwsimCtl(docker::DockerClient& client, const std::string& container_id,
                  const std::string& hwsim_ctl_path) {
  client.CopyToContainer(container_id, "/usr/local/bin", HwsimCtlArchive(ReadHwsimCtl(hwsim_ctl_path)));
}

docker::ExecResult RadioMedium::MustRun(const std::string& container_id,
                                        const std::vector<std::string>& argv, const std::string& what) {
  docker::ExecResult result = client_.Exec(container_id, {.cmd = argv, .deadline = std::chrono::seconds(20)});
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
  // The interface is renamed in the helper's namespace, before the move, so
  // two attaches must not overlap (both would want "wlan0" there).
  std::lock_guard<std::mutex> lock(mutex_);
  if (tool_installed_.valid()) tool_installed_.get();  // throws the copy's error
  RadioAttachment radio;
  radio.phy = "cq" + home_id_.substr(0, 8) + "-" + std::to_string(next_radio_++);
  std::string made = MustRun(helper_id_, {"sh", "-c", kAttachScript, "attach", radio.phy,
                                          std::to_string(node_pid), interface},
                             "making a radio and moving it into the node")
                         .stdout_text;
  size_t space = made.find(' ');
  if (made.rfind("radio ", 0) != 0 || space == std::string::npos) {
    throw Error(ErrorCode::kInternal, "radio medium: unexpected answer from hwsim_ctl: '" + made + "'");
  }
  radio.radio_id = std::stoi(made.substr(space + 1));
  radio.interface = interface;
  return radio;
}

void RadioMedium::Detach(const std::string& container_id, const RadioAttachment& radio) {
  // Nothing to run: mac80211_hwsim deletes a radio made outside the root
  // namespace when the namespace it lives in goes, which is when the node
  // stops. Deleting it earlier would need the tool inside the node.
  (void)container_id;
  (void)radio;
}

}  // namespace cirque::home
