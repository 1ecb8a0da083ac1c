#include "cirque_test/vm/vm_manager.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/engine_features.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/vm/cpio_archive.h"
#include "cirque_test/vm/guest_scripts.h"

namespace cirque::vm {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr auto kKvmProbeDeadline = std::chrono::seconds(30);
constexpr auto kShutdownDeadline = std::chrono::seconds(30);

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Holds an exclusive lock on a file while it lives.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) {
      throw Error(ErrorCode::kInternal, "cannot lock " + path);
    }
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  int fd_ = -1;
};

bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw Error(ErrorCode::kInternal, "cannot find a free TCP port on 127.0.0.1");
  }
  int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

// Kills qemu and waits until it is gone (reaping it when it is our child),
// so no qemu outlives a failed boot. Bounded: SIGKILL cannot be ignored.
void KillAndReap(int pid) {
  kill(pid, SIGKILL);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (ProcessAlive(pid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

struct SavedState {
  int pid = 0;
  int port = 0;
  std::string accel;
};

SavedState ReadState(const fs::path& path) {
  SavedState state;
  std::ifstream file(path);
  file >> state.pid >> state.port >> state.accel;
  return state;
}

}  // namespace

VmManager::VmManager(VmOptions options) : options_(std::move(options)) {
  if (options_.kernel_dir.empty()) options_.kernel_dir = options_.state_dir + "/kernel";
}

void VmManager::Progress(const std::string& line) const {
  if (options_.on_progress) options_.on_progress(line);
}

std::string VmManager::console_log() const { return options_.state_dir + "/console.log"; }

std::string VmManager::KernelVersion() const {
  fs::path boot = fs::path(options_.kernel_dir) / "boot";
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(boot, ignored)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("vmlinuz-", 0) != 0) continue;
    std::string version = name.substr(8);
    if (fs::exists(fs::path(options_.kernel_dir) / "lib/modules" / version / "modules.dep")) {
      return version;
    }
  }
  throw Error(ErrorCode::kFailedPrecondition,
              "no VM kernel at " + options_.kernel_dir +
                  " (boot/vmlinuz-* with lib/modules/<version>/modules.dep); run tools/setup, "
                  "which unpacks Debian's linux-image package there");
}

void VmManager::PrepareInitramfs(const std::string& kernel_version) {
  const fs::path modules = fs::path(options_.kernel_dir) / "lib/modules" / kernel_version / "kernel";
  std::string busybox = ReadFile("/bin/busybox");
  if (busybox.empty()) {
    throw Error(ErrorCode::kFailedPrecondition, "/bin/busybox is missing; run tools/setup (busybox-static)");
  }
  CpioWriter cpio;
  for (const char* dir : {"bin", "dev", "proc", "sys", "modules", "hostroot", "upper", "newroot"}) {
    cpio.AddDirectory(dir);
  }
  cpio.AddFile("bin/busybox", busybox, 0755);
  for (const char* applet : {"sh", "mount", "insmod", "mkdir", "cat", "cp", "echo", "switch_root",
                             "poweroff"}) {
    cpio.AddSymlink(std::string("bin/") + applet, "busybox");
  }
  std::string order;
  for (const char* module : kStage1Modules) {
    fs::path found;
    for (const auto& entry : fs::recursive_directory_iterator(modules)) {
      if (entry.path().filename() == std::string(module) + ".ko") found = entry.path();
    }
    if (found.empty()) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "module " + std::string(module) + ".ko is not in " + modules.string());
    }
    cpio.AddFile("modules/" + std::string(module) + ".ko", ReadFile(found));
    order += std::string(module) + "\n";
  }
  cpio.AddFile("modules/order", order);
  cpio.AddFile("init", kStage1Init, 0755);
  cpio.AddFile("stage2", kStage2Script, 0755);
  std::ofstream(options_.state_dir + "/initramfs.cpio", std::ios::binary) << cpio.Finish();
}

void VmManager::PrepareDataDisk() {
  const std::string disk = options_.state_dir + "/docker-data.img";
  if (fs::exists(disk)) return;
  Progress("vm: making the engine's data disk " + disk);
  const std::string partial = disk + ".partial";
  {
    std::ofstream file(partial, std::ios::binary);
  }
  fs::resize_file(partial, static_cast<uintmax_t>(options_.data_disk_gb) << 30);
  // mkfs lives in /sbin, which a test's PATH may lack.
  std::string mkfs = fs::exists("/sbin/mkfs.ext4") ? "/sbin/mkfs.ext4" : "mkfs.ext4";
  RunProcessOrThrow({mkfs, "-q", "-F", "-L", "cirque-docker", partial});
  fs::rename(partial, disk);
}

int DefaultVmCpus() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores >= 2 ? 2 : 1;
}

int VmManager::BootQemu(const std::string& accel, int port) {
  const std::string version = KernelVersion();
  std::vector<std::string> argv = {"qemu-system-x86_64"};
  if (accel == "kvm") {
    argv.insert(argv.end(), {"-accel", "kvm", "-cpu", "host"});
  } else {
    argv.insert(argv.end(), {"-accel", "tcg,thread=multi,tb-size=256", "-cpu", "max"});
  }
  argv.insert(argv.end(),
              {"-smp", std::to_string(options_.cpus), "-m", std::to_string(options_.memory_mb),
               "-nographic", "-no-reboot", "-monitor", "none",
               "-kernel", options_.kernel_dir + "/boot/vmlinuz-" + version,
               "-initrd", options_.state_dir + "/initramfs.cpio",
               "-append",
               "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off cirque.modules=" +
                   options_.kernel_dir + "/lib/modules",
               "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
               "-drive", "file=" + options_.state_dir + "/docker-data.img,format=raw,if=virtio,cache=writeback",
               "-nic", "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:" + std::to_string(port) + "-:2375"});
  std::ofstream(console_log(), std::ios::trunc).flush();
  return SpawnDetached(argv, console_log());
}

std::string VmManager::ChooseAccel(int port) {
  if (options_.accel == "kvm" || options_.accel == "tcg") return options_.accel;
  const std::string verdict_file = options_.state_dir + "/accel";
  std::string verdict = ReadFile(verdict_file);
  if (verdict == "kvm" || verdict == "tcg") return verdict;
  verdict = "tcg";
  if (access("/dev/kvm", R_OK | W_OK) == 0) {
    Progress("vm: trying KVM (up to " + std::to_string(kKvmProbeDeadline.count()) + " s)");
    int pid = BootQemu("kvm", port);
    const auto deadline = Clock::now() + kKvmProbeDeadline;
    while (Clock::now() < deadline && ProcessAlive(pid)) {
      if (ReadFile(console_log()).find(kStage1Marker) != std::string::npos) {
        verdict = "kvm";
        break;
      }
      std::this_thread::sleep_for(kPoll);
    }
    KillAndReap(pid);
    Progress(verdict == "kvm" ? "vm: KVM works" : "vm: KVM did not boot the kernel; using TCG");
  }
  std::ofstream(verdict_file) << verdict;
  return verdict;
}

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
      KillAndReap(pid);
      throw Error(ErrorCode::kDeadlineExceeded,
                  "vm: the engine did not answer within " + std::to_string(options_.boot_timeout.count()) +
                      " s of boot; console (" + console_log() + ") ends:\n" + LastLines(console, 15));
    }
    std::this_thread::sleep_for(kPoll);
  }
}

void VmManager::LoadNodeImages(const std::string& docker_host) {
  docker::ClientOptions local_options;
  local_options.endpoint = docker::DockerEndpoint{};  // the local socket
  docker::DockerClient local(local_options);
  docker::ClientOptions vm_options;
  vm_options.endpoint = docker::DockerEndpoint::Parse(docker_host);
  docker::DockerClient guest(vm_options);

  images::ImageBuildOptions build_options;
  build_options.images_dir = images::FindImagesDir();
  images::ImageBuilder builder(local, images::NodeImages(), build_options);
  std::vector<std::string> references;
  for (const auto& result : builder.EnsureAll()) references.push_back(result.reference);
  references.push_back(builder.rootfs_reference());
  std::vector<std::string> missing;
  for (const auto& reference : references) {
    try {
      guest.InspectImage(reference);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) throw;
      missing.push_back(reference);
    }
  }
  if (missing.empty()) {
    Progress("vm: node images already in the VM's engine");
    return;
  }
  Progress("vm: loading " + std::to_string(missing.size()) + " node images into the VM's engine");
  const std::string tar_path = options_.state_dir + "/images.tar";
  {
    std::ofstream tar(tar_path, std::ios::binary | std::ios::trunc);
    local.SaveImages(missing, [&tar](std::string_view data) { tar.write(data.data(), data.size()); });
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(tar_path.c_str(), "rb"), &std::fclose);
  guest.LoadImages([raw = file.get()](char* buffer, size_t capacity) {
    return std::fread(buffer, 1, capacity, raw);
  });
  file.reset();
  fs::remove(tar_path);
  Progress("vm: node images loaded");
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
  fs::create_directories(options_.state_dir);
  FileLock lock(options_.state_dir + "/lock");
  VmStatus status = Status();
  if (status.running) {
    Progress("vm: already up at " + status.docker_host);
    if (options_.load_images) LoadNodeImages(status.docker_host);
    return status;
  }
  if (options_.kernel_dir.find_first_of(" \t\"'") != std::string::npos) {
    throw Error(ErrorCode::kInvalidArgument,
                "vm: kernel_dir '" + options_.kernel_dir + "' has spaces or quotes; the kernel command line cannot carry it");
  }
  const auto started = Clock::now();
  const std::string version = KernelVersion();
  if (options_.port != 0 && !PortFree(options_.port)) {
    throw Error(ErrorCode::kInvalidArgument,
                "vm: port " + std::to_string(options_.port) +
                    " on 127.0.0.1 is in use; choose another or leave the port to cirque (0)");
  }
  const int port = options_.port != 0 ? options_.port : FreePort();
  PrepareInitramfs(version);
  PrepareDataDisk();
  const std::string accel = ChooseAccel(port);
  Progress("vm: booting " + version + " with " + accel);
  int pid = BootQemu(accel, port);
  std::ofstream(options_.state_dir + "/vm.state") << pid << " " << port << " " << accel << "\n";
  try {
    WaitForEngine(pid, port, started + options_.boot_timeout);
  } catch (...) {
    KillAndReap(pid);
    fs::remove(options_.state_dir + "/vm.state");
    throw;
  }
  const std::string docker_host = "tcp://127.0.0.1:" + std::to_string(port);
  RemoveStopper(docker_host);
  Progress("vm: engine up after " +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()) +
           " s");
  if (options_.load_images) {
    try {
      LoadNodeImages(docker_host);
    } catch (...) {
      Down();
      throw;
    }
  }
  return Status();
}

VmStatus VmManager::Status() {
  VmStatus status;
  SavedState state = ReadState(options_.state_dir + "/vm.state");
  std::string cmdline = ReadFile("/proc/" + std::to_string(state.pid) + "/cmdline");
  if (state.pid <= 0 || !ProcessAlive(state.pid) || cmdline.find("qemu-system") == std::string::npos) {
    return status;
  }
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
      const home::EngineFeatures& features = home::ProbeEngineFeatures(client, image.tags.front());
      status.hwsim = features.hwsim;
      status.netem = features.netem;
      break;
    }
  } catch (const Error&) {
    // Booting, or stopping: the engine fields stay empty.
  }
  return status;
}

void VmManager::Down() {
  VmStatus status = Status();
  SavedState state = ReadState(options_.state_dir + "/vm.state");
  if (!status.running) {
    fs::remove(options_.state_dir + "/vm.state");
    return;
  }
  Progress("vm: stopping dockerd, then the guest");
  try {
    docker::ClientOptions client_options;
    client_options.endpoint = docker::DockerEndpoint::Parse(status.docker_host);
    client_options.request_timeout = std::chrono::seconds(20);
    docker::DockerClient client(client_options);
    auto generic = client.ListImages({{"cirque.image", images::kGenericImage}});
    if (!generic.empty() && !generic.front().tags.empty()) {
      // Signals dockerd in the guest's pid namespace; stage 2 then syncs,
      // unmounts the data disk and powers off.
      docker::ContainerSpec stopper;
      stopper.image = generic.front().tags.front();
      stopper.name = "cirque-vm-stopper";
      stopper.labels = {{"cirque.role", "vm-stopper"}};
      stopper.process.entrypoint = std::vector<std::string>{"pkill"};
      stopper.process.cmd = {"-TERM", "-x", "dockerd"};
      stopper.security.pid_mode = "host";
      stopper.network.network_mode = "none";
      std::string id = client.CreateContainer(stopper);
      client.StartContainer(id);
    }
  } catch (const Error& error) {
    Progress(std::string("vm: graceful stop failed (") + error.what() + "); killing qemu");
  }
  const auto deadline = Clock::now() + kShutdownDeadline;
  while (ProcessAlive(state.pid) && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  if (ProcessAlive(state.pid)) KillAndReap(state.pid);
  fs::remove(options_.state_dir + "/vm.state");
  Progress("vm: down");
}

}  // namespace cirque::vm
