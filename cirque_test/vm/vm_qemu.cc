#include "cirque_test/vm/vm_qemu.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "cirque_test/util/error.h"
#include "cirque_test/util/file_io.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/vm/guest_scripts.h"

namespace cirque::vm {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(200);
// A kernel that boots under KVM reaches stage 1 in seconds; one that has
// not in this long is taken to be stuck (nested KVM that does not work).
constexpr auto kKvmProbeDeadline = std::chrono::seconds(30);

std::vector<std::string> AccelArgs(const std::string& accel) {
  if (accel == "kvm") return {"-accel", "kvm", "-cpu", "host"};
  return {"-accel", "tcg,thread=multi,tb-size=256", "-cpu", "max"};
}

// Boots with KVM and watches the console for stage 1. True when it got
// there; the probe's qemu is killed either way.
bool KvmBoots(const QemuLaunch& launch) {
  int pid = StartQemu(launch, "kvm");
  const auto deadline = Clock::now() + kKvmProbeDeadline;
  bool booted = false;
  while (!booted && Clock::now() < deadline && ProcessAlive(pid)) {
    booted = ReadFile(launch.console_log).find(kStage1Marker) != std::string::npos;
    if (!booted) std::this_thread::sleep_for(kPoll);
  }
  KillQemu(pid);
  return booted;
}

}  // namespace

int StartQemu(const QemuLaunch& launch, const std::string& accel) {
  std::vector<std::string> argv = {"qemu-system-x86_64"};
  for (auto& arg : AccelArgs(accel)) argv.push_back(std::move(arg));
  argv.insert(argv.end(),
              {"-smp", std::to_string(launch.cpus), "-m", std::to_string(launch.memory_mb),
               "-nographic", "-no-reboot", "-monitor", "none",
               "-kernel", launch.kernel_dir + "/boot/vmlinuz-" + launch.kernel_version,
               "-initrd", launch.initramfs,
               "-append",
               "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off cirque.modules=" +
                   launch.kernel_dir + "/lib/modules",
               "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
               "-drive", "file=" + launch.data_disk + ",format=raw,if=virtio,cache=writeback",
               "-nic", "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:" + std::to_string(launch.port) + "-:2375"});
  // Markers from an earlier boot must not be taken for this one's.
  WriteFile(launch.console_log, "");
  return SpawnDetached(argv, launch.console_log);
}

std::string ChooseAccel(const QemuLaunch& launch, const std::string& wanted, const std::string& verdict_file,
                        const std::function<void(std::string_view)>& progress) {
  auto say = [&progress](const std::string& line) {
    if (progress) progress(line);
  };
  if (wanted == "kvm" || wanted == "tcg") return wanted;
  std::string verdict = ReadFileIfExists(verdict_file);
  if (verdict == "kvm" || verdict == "tcg") return verdict;
  verdict = "tcg";
  if (access("/dev/kvm", R_OK | W_OK) == 0) {
    say("vm: trying KVM (up to " + std::to_string(kKvmProbeDeadline.count()) + " s)");
    if (KvmBoots(launch)) verdict = "kvm";
    say(verdict == "kvm" ? "vm: KVM works" : "vm: KVM did not boot the kernel; using TCG");
  }
  WriteFile(verdict_file, verdict);
  return verdict;
}

void KillQemu(int pid) {
  kill(pid, SIGKILL);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (ProcessAlive(pid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

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

}  // namespace cirque::vm
