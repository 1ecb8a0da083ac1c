#include "cirque_test/home/radio_medium.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::home {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

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
                         const std::string& home_id, const std::string& hwsim_ctl_path)
    : client_(client), home_id_(home_id) {
  tool_ = ReadFile(hwsim_ctl_path);
  if (tool_.empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "radio medium: the hwsim_ctl tool is missing at '" + hwsim_ctl_path +
                    "'; build it (bazel build //cirque_test/radio:hwsim_ctl) or set CIRQUE_HWSIM_CTL");
  }
  docker::ContainerSpec spec;
  spec.image = image;
  spec.name = "cirque-" + home_id + "-radios";
  spec.labels = HomeLabels(home_id);
  spec.labels[kRoleLabel] = "radios";
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.process.init = true;
  spec.network.network_mode = "none";  // a namespace of the home's own
  spec.security.pid_mode = "host";     // to name nodes' namespaces by pid
  spec.security.cap_add = {"NET_ADMIN"};
  helper_id_ = client_.CreateContainer(spec);
  try {
    client_.StartContainer(helper_id_);
    InstallTool(helper_id_);
  } catch (...) {
    try {
      client_.RemoveContainer(helper_id_, true);
    } catch (const Error&) {
    }
    throw;
  }
}

RadioMedium::~RadioMedium() {
  try {
    client_.RemoveContainer(helper_id_, true);
  } catch (const Error&) {
    // Labelled: the reaper removes it.
  }
}

void RadioMedium::InstallTool(const std::string& container_id) {
  TarWriter tar;
  tar.AddFile("hwsim_ctl", tool_, 0755);
  client_.CopyToContainer(container_id, "/usr/local/bin", tar.Finish());
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
  RadioAttachment radio;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    radio.phy = "cq" + home_id_.substr(0, 8) + "-" + std::to_string(next_radio_++);
  }
  std::string made = MustRun(helper_id_, {"hwsim_ctl", "new", radio.phy}, "making a radio").stdout_text;
  radio.radio_id = std::stoi(made.substr(made.find(' ') + 1));
  std::string created = Trim(MustRun(helper_id_, {"ls", "/sys/class/ieee80211/" + radio.phy + "/device/net"},
                                     "finding the radio's interface")
                                 .stdout_text);
  MustRun(helper_id_, {"iw", "phy", radio.phy, "set", "netns", std::to_string(node_pid)},
          "moving the radio into the node");
  InstallTool(container_id);
  if (created != interface) {
    MustRun(container_id, {"ip", "link", "set", created, "name", interface}, "naming the interface");
  }
  radio.interface = interface;
  return radio;
}

void RadioMedium::Detach(const std::string& container_id, const RadioAttachment& radio) {
  MustRun(container_id, {"hwsim_ctl", "del", std::to_string(radio.radio_id)}, "deleting the radio");
}

}  // namespace cirque::home
