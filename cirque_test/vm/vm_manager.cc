// Up, Down and Status of the VM in one state folder. What the VM boots from
// is made in vm_image.cc, the qemu process is started and killed in
// vm_qemu.cc, and node images are loaded in vm_images_loader.cc.
#include "cirque_test/vm/vm_manager.h"

#include <filesystem>
#include <sstream>
#include <thread>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/file_io.h"
#include "cirque_test/util/file_lock.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/vm/guest_scripts.h"
#include "cirque_test/vm/vm_image.h"
#include "cirque_test/vm/vm_images_loader.h"
#include "cirque_test/vm/vm_qemu.h"

namespace cirque::vm {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr auto kShutdownDeadline = std::chrono::seconds(30);

// What vm.state records of the running VM: "<pid> <port> <accel>".
struct SavedState {
  int pid = 0;
  int port = 0;
  std::string accel;
};

SavedState ReadState(const std::string& path) {
  SavedState state;
  std::istringstream text(ReadFileIfExists(path));
  text >> state.pid >> state.port >> state.accel;
  return state;
}

void RemoveFile(const std::string& path) {
  std::error_code error;
  fs::remove(path, error);
  if (error) throw Error(ErrorCode::kInternal, "vm: cannot remove '" + path + "': " + error.message());
}

// True when `pid` runs qemu (not a later process that reuses the pid).
bool IsQemu(int pid) {
  if (pid <= 0 || !ProcessAlive(pid)) return false;
  try {
    return ReadFileIfExists("/proc/" + std::to_string(pid) + "/cmdline").find("qemu-system") !=
           std::string::npos;
  } catch (const Error&) {
    return false;  // it went while we looked
  }
}

void Say(const VmOptions& options, const std::string& line) {
  if (options.on_progress) options.on_progress(line);
}

void MakeStateDir(const std::string& state_dir) {
  std::error_code error;
  fs::create_directories(state_dir, error);
  if (error) {
    throw Error(ErrorCode::kInternal, "vm: cannot make the state folder '" + state_dir + "': " + error.message());
  }
}

// Checks what can be checked before anything is written (the kernel command
// line, the kernel, the port), then writes the initramfs and, the first
// time, the data disk. Returns the boot to make.
QemuLaunch PrepareBoot(const VmOptions& options, const std::string& console_log) {
  if (options.kernel_dir.find_first_of(" \t\"'") != std::string::npos) {
    throw Error(ErrorCode::kInvalidArgument, "vm: kernel_dir '" + options.kernel_dir +
                                                 "' has spaces or quotes; the kernel command line cannot carry it");
  }
  QemuLaunch launch;
  launch.kernel_dir = options.kernel_dir;
  launch.kernel_version = FindKernelVersion(options.kernel_dir);
  if (options.port != 0 && !PortFree(options.port)) {
    throw Error(ErrorCode::kInvalidArgument,
                "vm: port " + std::to_string(options.port) +
                    " on 127.0.0.1 is in use; choose another or leave the port to cirque (0)");
  }
  launch.port = options.port != 0 ? options.port : FreePort();
  launch.initramfs = options.state_dir + "/initramfs.cpio";
  launch.data_disk = options.state_dir + "/docker-data.img";
  launch.console_log = console_log;
  launch.cpus = options.cpus;
  launch.memory_mb = options.memory_mb;
  WriteInitramfs(launch.kernel_dir, launch.kernel_version, launch.initramfs);
  if (!fs::exists(launch.data_disk)) {
    Say(options, "vm: making the engine's data disk " + launch.data_disk);
    MakeDataDisk(launch.data_disk, options.data_disk_gb);
  }
  return launch;
}

}  // namespace

int DefaultVmCpus() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores >= 2 ? 2 : 1;
}

VmManager::VmManager(VmOptions options) : options_(std::move(options)) {
  if (options_.kernel_dir.empty()) options_.kernel_dir = options_.state_dir + "/kernel";
}

void VmManager::Progress(const std::string& line) const { Say(options_, line); }

std::string VmManager::console_log() const { return options_.state_dir + "/console.log"; }

std::string VmManager::state_file() const { return options_.state_dir + "/vm.state"; }

std::string VmManager::lock_file() const { return options_.state_dir + "/lock"; }

void VmManager::WaitForEngine(int pid, int port, Clock::time_point deadline) {
  docker::ClientOptions client_options;
  client_options.endpoint = docker::DockerEndpoint::Parse("tcp://127.0.0.1:" + std::to_string(port));
  client_options.request_timeout = std::chrono::seconds(3);
  bool announced = false;
  for (;;) {
    std::string console = ReadFile(console_log());
    if (!ProcessAlive(pid) || console.find(kFailedMarker) != std::string::npos) {
      bool port_taken = console.find("Could not set up host forwarding rule") != std::string::npos;
      throw Error(port_taken ? ErrorCode::kInvalidArgument : ErrorCode::kInternal,
                  std::string(port_taken ? "vm: port " + std::to_string(port) + " on 127.0.0.1 is in use; "
                                                "choose another or leave it to cirque"
                                         : "vm: the VM stopped while booting") +
                      "; console (" + console_log() + ") ends:\n" + LastLines(console, 15));
    }
    if (!announced && console.find(kEngineStartedMarker) != std::string::npos) {
      Progress("vm: guest booted; waiting for dockerd");
      announced = true;
    }
    if (announced) {
      try {
        docker::DockerClient client(client_options);
        client.Ping();
        return;
      } catch (const Error&) {
        // Not answering yet.
      }
    }
    if (Clock::now() >= deadline) {
      KillQemu(pid);
      throw Error(ErrorCode::kDeadlineExceeded,
                  "vm: the engine did not answer within " + std::to_string(options_.boot_timeout.count()) +
                      " s of boot; console (" + console_log() + ") ends:\n" + LastLines(console, 15));
    }
    std::this_thread::sleep_for(kPoll);
  }
}

// The container that stopped dockerd last time cannot remove itself (the
// engine was going); remove it once the engine is back.
void VmManager::RemoveStopper(const std::string& docker_host) {
  docker::ClientOptions client_options;
  client_options.endpoint = docker::DockerEndpoint::Parse(docker_host);
  docker::DockerClient client(client_options);
  for (const auto& container : client.ListContainers({{"cirque.role", "vm-stopper"}})) {
    client.RemoveContainer(container.id, true);
  }
}

VmStatus VmManager::Up() {
  MakeStateDir(options_.state_dir);
  // Two Ups at once would boot two VMs on one data disk.
  FileLock lock(lock_file(), options_.lock_timeout);
  VmStatus status = Status();
  if (status.running) {
    Progress("vm: already up at " + status.docker_host);
    if (options_.load_images) LoadNodeImages(status.docker_host, options_.state_dir, options_.on_progress);
    return status;
  }
  const auto started = Clock::now();
  const QemuLaunch launch = PrepareBoot(options_, console_log());
  const std::string accel = ChooseAccel(launch, options_.accel, options_.state_dir + "/accel", options_.on_progress);
  Progress("vm: booting " + launch.kernel_version + " with " + accel);
  int pid = StartQemu(launch, accel);
  try {
    WriteFile(state_file(), std::to_string(pid) + " " + std::to_string(launch.port) + " " + accel + "\n");
    WaitForEngine(pid, launch.port, started + options_.boot_timeout);
  } catch (...) {
    KillQemu(pid);
    std::error_code ignored;  // the first error is the one to report
    fs::remove(state_file(), ignored);
    throw;
  }
  const std::string docker_host = "tcp://127.0.0.1:" + std::to_string(launch.port);
  RemoveStopper(docker_host);
  Progress("vm: engine up after " +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()) +
           " s");
  if (options_.load_images) {
    try {
      LoadNodeImages(docker_host, options_.state_dir, options_.on_progress);
    } catch (...) {
      DownLocked();
      throw;
    }
  }
  return Status();
}

VmStatus VmManager::Status() {
  VmStatus status;
  SavedState state = ReadState(state_file());
  if (!IsQemu(state.pid)) return status;
  status.running = true;
  status.pid = state.pid;
  status.port = state.port;
  status.accel = state.accel;
  status.docker_host = "tcp://127.0.0.1:" + std::to_string(state.port);
  try {
    docker::ClientOptions client_options;
    client_options.endpoint = docker::DockerEndpoint::Parse(status.docker_host);
    client_options.request_timeout = std::chrono::seconds(5);
    docker::DockerClient client(client_options);
    docker::VersionInfo version = client.Version();
    status.engine_version = version.version;
    status.kernel_version = version.kernel_version;
    for (const auto& image : client.ListImages({{"cirque.image", images::kGenericImage}})) {
      if (image.tags.empty()) continue;
      // What the VM is for: the two features the host kernel lacks.
      engine::EngineReport features = engine::ProbeEngine(
          client, image.tags.front(),
          {{"hwsim", "test -d /sys/module/mac80211_hwsim -o -d /sys/class/mac80211_hwsim"},
           {"netem", "tc qdisc add dev lo root handle 1: netem delay 1ms && tc qdisc del dev lo root"}},
          // Labelled as a home's resource: if this status is cut short
          // (a 5 s deadline on a busy VM), the reaper removes the probe.
          home::HomeLabels("vm-probe-" + home::NewId()));
      status.hwsim = features.Has("hwsim");
      status.netem = features.Has("netem");
      break;
    }
  } catch (const Error&) {
    // Booting, or stopping: the engine fields stay empty.
  }
  return status;
}

void VmManager::Down() {
  // Without the folder nothing runs, and making it to lock would leave an
  // empty folder behind.
  if (!fs::exists(options_.state_dir)) return;
  // An Up in progress would go on with a VM shut down under it.
  FileLock lock(lock_file(), options_.lock_timeout);
  DownLocked();
}

void VmManager::DownLocked() {
  VmStatus status = Status();
  if (!status.running) {
    RemoveFile(state_file());
    return;
  }
  Progress("vm: stopping dockerd, then the guest");
  try {
    StopEngine(status.docker_host);
  } catch (const Error& error) {
    Progress(std::string("vm: graceful stop failed (") + error.what() + "); killing qemu");
  }
  const auto deadline = Clock::now() + kShutdownDeadline;
  while (ProcessAlive(status.pid) && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  if (ProcessAlive(status.pid)) KillQemu(status.pid);
  RemoveFile(state_file());
  Progress("vm: down");
}

// Signals dockerd in the guest's pid namespace from a container; stage 2
// then syncs, unmounts the data disk and powers off.
void VmManager::StopEngine(const std::string& docker_host) {
  docker::ClientOptions client_options;
  client_options.endpoint = docker::DockerEndpoint::Parse(docker_host);
  client_options.request_timeout = std::chrono::seconds(20);
  docker::DockerClient client(client_options);
  auto generic = client.ListImages({{"cirque.image", images::kGenericImage}});
  if (generic.empty() || generic.front().tags.empty()) return;
  docker::ContainerSpec stopper;
  stopper.image = generic.front().tags.front();
  stopper.name = "cirque-vm-stopper";
  stopper.labels = {{"cirque.role", "vm-stopper"}};
  stopper.process.entrypoint = std::vector<std::string>{"pkill"};
  stopper.process.cmd = {"-TERM", "-x", "dockerd"};
  stopper.security.pid_mode = "host";
  stopper.network.disabled = true;
  std::string id = client.CreateContainer(stopper);
  client.StartContainer(id);
}

}  // namespace cirque::vm
