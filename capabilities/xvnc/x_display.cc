#include "capabilities/xvnc/x_display.h"

#include <sstream>

#include "capabilities/xvnc/display_allocation.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

constexpr const char* kSocketDir = "/tmp/.X11-unix";
constexpr int kVncPortInHelper = 5900;

// Polls (every 50 ms, bounded by `timeout`) until display $1's socket is
// there and the server answers a query on it.
constexpr const char* kAwaitScript = R"sh(
timeout "$2" sh -c 'until [ -S "/tmp/.X11-unix/X$1" ] && xdpyinfo -display ":$1" >/dev/null 2>&1; do sleep 0.05; done' ready "$1"
)sh";

// The root window as a PNG on stdout: xwd's dump through netpbm.
constexpr const char* kScreenshotScript = R"sh(
set -e
xwd -root -silent -display "$1" > /tmp/screen.xwd
xwdtopnm /tmp/screen.xwd > /tmp/screen.pnm 2>/dev/null
pnmtopng /tmp/screen.pnm 2>/dev/null
rm -f /tmp/screen.xwd /tmp/screen.pnm
)sh";

docker::ContainerSpec HelperSpec(home::HomeContext& home, const std::string& node, const std::string& image,
                                 const XvncSettings& settings, int number) {
  docker::ContainerSpec spec;
  spec.image = image;
  spec.name = DisplayHelperName(number);
  spec.labels = home.ResourceLabels(kXvncRole);
  spec.labels[home::kNodeLabel] = node;
  spec.labels[kXvncDockerDisplayLabel] = std::to_string(settings.docker_display_id);
  spec.labels[kXvncLocalhostLabel] = settings.localhost ? "true" : "false";
  const std::string geometry =
      std::to_string(XDisplay::kScreen.width) + "x" + std::to_string(XDisplay::kScreen.height);
  spec.process.entrypoint = std::vector<std::string>{"Xvnc"};
  spec.process.cmd = {":" + std::to_string(settings.docker_display_id),
                      "-SecurityTypes", "None",
                      "-rfbport", std::to_string(kVncPortInHelper),
                      "-geometry", geometry,
                      "-depth", "24",
                      "-desktop", node,
                      "-AlwaysShared"};
  spec.process.init = true;  // Xvnc's children (none expected) are reaped
  // The socket directory on an anonymous volume the node mounts too.
  spec.storage.mounts = {{docker::MountSpec::Type::kVolume, "", kSocketDir, false}};
  spec.network.ports = {{kVncPortInHelper, "tcp", settings.localhost ? "127.0.0.1" : "0.0.0.0",
                         kVncPortBase + number}};
  return spec;
}

void RemoveQuietly(docker::DockerClient& client, const std::string& id) {
  try {
    client.RemoveContainer(id, true);
  } catch (const std::exception&) {
    // Labelled: the reaper removes it.
  }
}

}  // namespace

XDisplay::XDisplay(docker::DockerClient& client, std::string helper_id, int number, int docker_display_id,
                   bool localhost)
    : client_(client),
      helper_id_(std::move(helper_id)),
      number_(number),
      docker_display_id_(docker_display_id),
      localhost_(localhost) {}

std::unique_ptr<XDisplay> XDisplay::Start(home::HomeContext& home, const std::string& node,
                                          const std::string& image, const XvncSettings& settings) {
  docker::DockerClient& client = home.client();
  const bool asked = settings.display_id != 0;
  for (int number : DisplayCandidates(settings.display_id)) {
    std::string id;
    try {
      id = client.CreateContainer(HelperSpec(home, node, image, settings, number));
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kConflict) throw;
      if (!asked) continue;  // another home's, or another process's
      throw Error(ErrorCode::kConflict,
                  "node '" + node + "': display_id " + std::to_string(number) + " is taken: container '" +
                      DisplayHelperName(number) + "' holds it on this engine; fix: give display_id 0 to let "
                      "cirque pick a free display, or another number");
    }
    try {
      client.StartContainer(id);
    } catch (const Error& error) {
      RemoveQuietly(client, id);
      if (!IsPortTaken(error.what())) throw;
      if (!asked) continue;  // something on the engine's host has 5900 + number
      throw Error(ErrorCode::kConflict,
                  "node '" + node + "': display_id " + std::to_string(number) + ": VNC port " +
                      std::to_string(kVncPortBase + number) + " is taken on the engine's host (" + error.what() +
                      "); fix: give display_id 0 to let cirque pick a free display, or another number");
    }
    std::unique_ptr<XDisplay> display(
        new XDisplay(client, id, number, settings.docker_display_id, settings.localhost));
    display->AwaitReady(kReadyDeadline);  // on error, the destructor removes it
    return display;
  }
  throw Error(ErrorCode::kFailedPrecondition,
              "node '" + node + "': every display 1.." + std::to_string(kMaxDisplayId) +
                  " is taken on this engine; fix: remove leftover homes (`cirque reap`)");
}

std::unique_ptr<XDisplay> XDisplay::Recover(home::HomeContext& home, const std::string& node) {
  docker::DockerClient& client = home.client();
  for (const auto& summary : client.ListContainers({{home::kHomeLabel, home.id()},
                                                    {home::kRoleLabel, kXvncRole},
                                                    {home::kNodeLabel, node}})) {
    std::optional<int> number = DisplayNumberOfHelper(summary.name);
    if (!number || summary.state != "running") continue;
    int docker_display = 0;
    try {
      docker_display = std::stoi(home::LabelValue(summary.labels, kXvncDockerDisplayLabel));
    } catch (const std::exception&) {
      continue;  // not one this code made
    }
    bool localhost = home::LabelValue(summary.labels, kXvncLocalhostLabel) != "false";
    return std::unique_ptr<XDisplay>(new XDisplay(client, summary.id, *number, docker_display, localhost));
  }
  throw Error(ErrorCode::kNotFound, "node '" + node + "': its X display's helper (role '" + kXvncRole +
                                        "') is not running in home '" + home.name() + "'");
}

XDisplay::~XDisplay() {
  if (!helper_id_.empty()) RemoveQuietly(client_, helper_id_);
}

void XDisplay::Release() { helper_id_.clear(); }

std::string XDisplay::Describe() const {
  return "display " + std::to_string(number_) + " ('" + DisplayHelperName(number_) + "')";
}

docker::ExecResult XDisplay::Run(const std::vector<std::string>& argv, std::chrono::milliseconds deadline) {
  return client_.Exec(helper_id_, {.cmd = argv, .deadline = deadline});
}

void XDisplay::AwaitReady(std::chrono::milliseconds deadline) {
  const std::string seconds = std::to_string((deadline.count() + 999) / 1000);
  docker::ExecResult result;
  try {
    result = Run({"sh", "-c", kAwaitScript, "await", std::to_string(docker_display_id_), seconds},
                 deadline + std::chrono::seconds(10));
  } catch (const Error& error) {
    result.exit_code = -1;
    result.stderr_text = error.what();
  }
  if (result.exit_code == 0) return;
  std::string log;
  try {
    docker::ContainerLogs logs = client_.Logs(helper_id_, {.tail = 10});
    log = LastLines(logs.stdout_text + logs.stderr_text, 10);
  } catch (const std::exception& error) {
    log = std::string("(no log: ") + error.what() + ")";
  }
  throw Error(result.exit_code == 124 ? ErrorCode::kDeadlineExceeded : ErrorCode::kInternal,
              Describe() + ": Xvnc did not answer on " + kSocketDir + "/X" + std::to_string(docker_display_id_) +
                  " within " + seconds + " s (exit " + std::to_string(result.exit_code) + ": " +
                  LastLines(result.stderr_text, 3) + "); its log: " + log);
}

std::string XDisplay::Screenshot(std::chrono::milliseconds deadline) {
  docker::ExecResult result = Run({"sh", "-c", kScreenshotScript, "screenshot", node_display()}, deadline);
  static const std::string kPngSignature = "\x89PNG\r\n\x1a\n";
  if (result.exit_code != 0 || result.stdout_text.rfind(kPngSignature, 0) != 0) {
    throw Error(ErrorCode::kInternal, Describe() + ": taking a screenshot (xwd | xwdtopnm | pnmtopng) exited " +
                                          std::to_string(result.exit_code) + " with " +
                                          std::to_string(result.stdout_text.size()) + " bytes: " +
                                          LastLines(result.stderr_text, 3));
  }
  return result.stdout_text;
}

std::vector<XWindow> XDisplay::Windows(std::chrono::milliseconds deadline) {
  docker::ExecResult result = Run({"sh", "-c", kListWindowsScript, "windows", node_display()}, deadline);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, Describe() + ": listing windows (xwininfo) exited " +
                                          std::to_string(result.exit_code) + ": " + LastLines(result.stderr_text, 3));
  }
  return ParseWindowList(result.stdout_text);
}

XDisplaySize XDisplay::Size() {
  docker::ExecResult result = Run({"xdpyinfo", "-display", node_display()}, std::chrono::seconds(10));
  // "  dimensions:    1024x768 pixels (271x203 millimeters)"
  std::istringstream lines(result.stdout_text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t at = line.find("dimensions:");
    if (at == std::string::npos) continue;
    XDisplaySize size;
    char x = 0;
    std::istringstream fields(line.substr(at + 11));
    if (fields >> size.width >> x >> size.height && x == 'x') return size;
  }
  throw Error(ErrorCode::kInternal, Describe() + ": xdpyinfo exited " + std::to_string(result.exit_code) +
                                        " without the screen's dimensions: " + LastLines(result.stderr_text, 3));
}

}  // namespace cirque::capabilities
