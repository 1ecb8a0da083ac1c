#include "capabilities/thread/thread_capability.h"


#include <algorithm>
#include <future>
#include <sstream>
#include <thread>

#include "capabilities/thread/idle_helper.h"
#include "capabilities/thread/ot_ctl.h"
#include "cirque_test/home/requirement.h"
#include "cirque_test/home/timeline.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::capabilities {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSettingsDir = "/opt/cirque/thread/settings";
// The node's home network: the radio's frames go out on it (see thread_media.h).
constexpr const char* kRadioInterface = "eth0";
constexpr auto kPollInterval = std::chrono::milliseconds(20);

void AddOnce(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

std::string Millis(std::chrono::milliseconds duration) { return std::to_string(duration.count()); }

}  // namespace

home::Requirement TunRequirement() {
  return {.kind = home::Requirement::Kind::kEngineFeature,
          .name = "tun",
          .why = "for the Thread host stack's network interface (wpan0)",
          // Containers see the host's /sys, not its /dev: the tun misc device
          // is listed there when the module is loaded or built in.
          .probe = "test -e /sys/class/misc/tun",
          .fix = "load the tun module on the engine's host (modprobe tun)"};
}

ThreadCapability::ThreadCapability(ThreadSettings settings, ThreadOptions options)
    : settings_(std::move(settings)), options_(std::move(options)) {
  if (options_.tty_path.empty()) options_.tty_path = FindBuiltTool(kThreadTty);
}

std::vector<home::Requirement> ThreadCapability::Requirements() const {
  if (settings_.HostStack() == "none") return {};
  return {TunRequirement()};
}

void ThreadCapability::Prepare(home::HomeContext& home) {
  media_ = &HomeThreadMedia(home);
  links_ = &HomeThreadLinks(home);
  std::string image;
  try {
    image = home.ResolveImage(options_.image);
  } catch (const Error& error) {
    // The image builder's message says how to turn Thread on when it is off.
    std::string what = error.what();
    std::string fix = what.find("tools/setup") != std::string::npos
                          ? ""
                          : "; fix: give OpenThread to tools/setup (OPENTHREAD_SRC=<an openthread checkout or "
                            ".tar.xz> or OPENTHREAD_BIN=<a folder with ot-rcp, ot-daemon, ot-ctl>) and run it again";
    throw home::UnmetRequirementError(
        "Thread needs the '" + options_.image + "' node image, which holds OpenThread: " + what + fix, {"thread"});
  }
  kit_ = RadioKitFor(home.client(), image, home.ResourceLabels("thread-kit"), options_.tty_path);
  capture_ = &HomeThreadCapture(home, kit_);
  if (!settings_.rcp_mode && !kit_->has_ncp()) {
    throw home::UnmetRequirementError(
        "Thread with rcp_mode false needs ot-ncp-ftd, which the '" + options_.image +
            "' image lacks; fix: build OpenThread's NCP too (tools/setup does from OPENTHREAD_SRC; with "
            "OPENTHREAD_BIN, put ot-ncp-ftd beside ot-rcp)",
        {"thread-ncp"});
  }
}

void ThreadCapability::Configure(docker::ContainerSpec& container) {
  if (settings_.HostStack() != "none") {
    // The host stack makes wpan0 (a tun device) and its routes. Thread is
    // IPv6, which Docker turns off ("all" and "default") in containers on
    // networks without it, as it sets up their network; wpan0 takes the
    // "default" value as it appears. runc writes the container's sysctls
    // after that set-up, so these win; crun (the VM's engine's default)
    // writes them before, and Docker's "1" stays (seen). Hence runc, which
    // every Docker engine has.
    container.security.sysctls["net.ipv6.conf.all.disable_ipv6"] = "0";
    container.security.sysctls["net.ipv6.conf.default.disable_ipv6"] = "0";
    container.process.runtime = "runc";
    AddOnce(container.security.cap_add, "NET_ADMIN");
    AddOnce(container.security.cap_add, "NET_RAW");
    container.security.devices.push_back({.host_path = "/dev/net/tun", .container_path = "/dev/net/tun"});
  }
}

void ThreadCapability::Enable(home::NodeRuntime& node) {
  if (media_ == nullptr || !kit_) {
    throw Error(ErrorCode::kFailedPrecondition, "node '" + node.node_name() + "': Thread enabled before Prepare");
  }
  ThreadMember member = media_->Join(node.node_name(), settings_.petition, settings_.time_speed);
  // The medium's sniffer is made beside the radio, not before it (the
  // first node's would hold up every radio): a radio sends nothing until
  // its host stack or software brings the interface up, after Enable.
  std::future<void> watching =
      std::async(std::launch::async, [this, network = node.network_name(), petition = member.petition] {
        capture_->Watch(network, petition);
      });
  try {
    StartRadio(node, member);
    links_->Restore(node);
    if (settings_.HostStack() != "none") {
      StartHostStack(node);
      AwaitHostStack(node);
    }
    watching.get();
  } catch (...) {
    if (watching.valid()) watching.wait();
    media_->Leave(node.node_name());
    throw;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  member_ = member;
}

void ThreadCapability::StartRadio(home::NodeRuntime& node, const ThreadMember& member) {
  home::Timeline::Scope step(node.home().timeline(), "thread radio " + node.node_name());
  node.home().client().CopyToContainer(node.container_id(), "/", kit_->archive(settings_.rcp_mode));
  std::vector<std::string> argv = {kThreadTtyPath, "radio", "--device", settings_.device, "--interface",
                                   kRadioInterface, "--dir", kSettingsDir, "--log", kThreadRadioLog,
                                   "--port-offset", std::to_string(member.petition), "--timeout-ms",
                                   Millis(options_.radio_deadline), "--",
                                   settings_.rcp_mode ? kOtRcpPath : kOtNcpPath};
  if (settings_.time_speed != 1) argv.insert(argv.end(), {"-s", std::to_string(settings_.time_speed)});
  argv.push_back(std::to_string(member.node_id));
  std::string radio_exec = node.ExecBackground(argv);
  // One exec that returns once the device opens: on a slow engine each
  // exec costs a runc start, so the polling happens inside the node.
  docker::ExecResult ready =
      node.Exec({kThreadTtyPath, "await", "--device", settings_.device, "--timeout-ms",
                 Millis(options_.radio_deadline), "--log", kThreadRadioLog},
                options_.radio_deadline + std::chrono::seconds(10));
  if (ready.exit_code != 0) {
    docker::ExecInfo radio = node.home().client().InspectExec(radio_exec);
    throw Error(ErrorCode::kDeadlineExceeded,
                "node '" + node.node_name() + "': its Thread radio did not come up (" +
                    (radio.running ? std::string("its launcher still runs")
                                   : "its launcher exited " + std::to_string(radio.exit_code)) +
                    "): " + LastLines(ready.stderr_text + ready.stdout_text, 12));
  }
}

void ThreadCapability::StartHostStack(home::NodeRuntime& node) {
  const std::string url = "spinel+hdlc+uart://" + settings_.device;
  std::vector<std::string> argv = {kThreadTtyPath, "run", "--log", kThreadHostStackLog, "--",
                                   settings_.HostStack(), "-I", "wpan0", "-v"};
  if (settings_.time_speed != 1 && settings_.HostStack() == "ot-daemon") {
    argv.insert(argv.end(), {"-s", std::to_string(settings_.time_speed)});
  }
  argv.push_back(url);
  host_stack_exec_ = node.ExecBackground(argv);
}

void ThreadCapability::AwaitHostStack(home::NodeRuntime& node) {
  home::Timeline::Scope step(node.home().timeline(), "thread host stack " + node.node_name());
  auto deadline = Clock::now() + options_.host_stack_deadline;
  std::string last;
  while (true) {
    docker::ExecResult state = node.Exec({"ot-ctl", "state"}, std::chrono::seconds(10));
    OtCtlReply reply = ParseOtCtlReply(state.stdout_text);
    if (state.exit_code == 0 && reply.done && !reply.lines.empty() && IsThreadRole(reply.lines.front())) return;
    last = "exit " + std::to_string(state.exit_code) + ": " + LastLines(state.stdout_text + state.stderr_text, 3);
    docker::ExecInfo daemon = node.home().client().InspectExec(host_stack_exec_);
    if (!daemon.running) {
      throw Error(ErrorCode::kInternal, "node '" + node.node_name() + "': " + settings_.HostStack() +
                                            " exited " + std::to_string(daemon.exit_code) +
                                            " before it answered `ot-ctl state`" + LogTail(node));
    }
    if (Clock::now() >= deadline) {
      throw Error(ErrorCode::kDeadlineExceeded,
                  "node '" + node.node_name() + "': " + settings_.HostStack() + " did not answer `ot-ctl state` within " +
                      Millis(options_.host_stack_deadline) + " ms; last answer: " + last + LogTail(node));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string ThreadCapability::LogTail(home::NodeRuntime& node) const {
  std::string text;
  for (const auto& log : Artifacts()) {
    try {
      std::string tar = node.home().client().CopyFromContainer(node.container_id(), log);
      for (const auto& entry : ReadTar(tar)) {
        if (entry.type == TarEntryType::kFile) text += "; " + log + " ends:\n" + LastLines(entry.content, 8);
      }
    } catch (const std::exception& error) {
      text += "; " + log + ": " + error.what();
    }
  }
  return text;
}

void ThreadCapability::Disable(home::NodeRuntime& node) {
  // The radio and host stack stop with the container. The node keeps its
  // id for the home's life, so a restarted node is the same radio to its
  // peers and their link rules still name it; its own rules go with its
  // namespace and Enable puts them back.
  if (links_ != nullptr) links_->Forget(node.node_name());
}

void ThreadCapability::Adopt(home::NodeRuntime& node) {
  Prepare(node.home());
  // Every process's command line, one per line, words split by spaces: the
  // radio's is "<ot-rcp or ot-ncp-ftd> -L <address> [-s <speed>] <node id>".
  docker::ExecResult processes = node.Exec(
      {"sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\000' ' ' < \"$f\"; echo; done 2>/dev/null"},
      std::chrono::seconds(20));
  const std::string radio = settings_.rcp_mode ? kOtRcpPath : kOtNcpPath;
  std::istringstream lines(processes.stdout_text);
  std::string line;
  std::optional<int> node_id;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> argv;
    for (std::string word; words >> word;) argv.push_back(word);
    if (argv.size() < 2 || argv.front() != radio) continue;
    try {
      node_id = std::stoi(argv.back());
    } catch (const std::exception&) {
      throw Error(ErrorCode::kFailedPrecondition, "node '" + node.node_name() + "': its radio's command line '" +
                                                      line + "' does not end with a node id");
    }
  }
  if (!node_id) {
    throw Error(ErrorCode::kFailedPrecondition, "node '" + node.node_name() + "': no " + radio +
                                                    " process runs in it: its Thread radio is gone" +
                                                    LogTail(node));
  }
  ThreadMember member{node.node_name(), settings_.petition, *node_id};
  media_->Rejoin(member, settings_.time_speed);
  capture_->Adopt(node.network_name(), member.petition);
  std::lock_guard<std::mutex> lock(mutex_);
  member_ = member;
}

ThreadCapture& ThreadCapability::capture() {
  if (capture_ == nullptr) throw Error(ErrorCode::kFailedPrecondition, "Thread capture used before Prepare");
  return *capture_;
}

ThreadLinks& ThreadCapability::links() {
  if (links_ == nullptr) throw Error(ErrorCode::kFailedPrecondition, "Thread links used before Prepare");
  return *links_;
}

std::optional<ThreadMember> ThreadCapability::member() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return member_;
}

std::map<std::string, std::string> ThreadCapability::Describe() const {
  std::map<std::string, std::string> description = {{"device", settings_.device},
                                                    {"radio", settings_.rcp_mode ? "rcp" : "ncp"},
                                                    {"host_stack", settings_.HostStack()},
                                                    {"petition", std::to_string(settings_.petition)},
                                                    {"time_speed", std::to_string(settings_.time_speed)}};
  if (auto placed = member()) description["node_id"] = std::to_string(placed->node_id);
  return description;
}

std::vector<std::string> ThreadCapability::Artifacts() const {
  if (settings_.HostStack() == "none") return {kThreadRadioLog};
  return {kThreadRadioLog, kThreadHostStackLog};
}

}  // namespace cirque::capabilities
