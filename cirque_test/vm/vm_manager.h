// A Docker host with a WiFi-capable kernel: Debian's generic kernel booted
// in qemu, the host's root shared read-only over 9p under a tmpfs overlay,
// dockerd inside with its API forwarded to 127.0.0.1:<port> on this host.
//
// The engine's data lives on a disk image in the state folder, so images
// loaded once stay for later boots. Up loads cirque's node images from the
// local engine when the VM's engine lacks them (save and load over the API).
//
// KVM is used when it really works (a boot with KVM reaches stage 1 within a
// short deadline); otherwise TCG. The verdict is remembered per state folder.
// One VM per state folder; any number of test processes may use it.
//
// Up and Down on one state folder take turns, across processes, with the
// folder's lock file; a wait longer than lock_timeout ends in an error that
// names the process holding the lock. Status takes no lock: it only reads.
//
// Thread safety: one VmManager per thread.
#ifndef CIRQUE_TEST_VM_VM_MANAGER_H_
#define CIRQUE_TEST_VM_VM_MANAGER_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace cirque::vm {

// min(2, this machine's cores).
int DefaultVmCpus();

struct VmOptions {
  // Holds the state: kernel/ (from tools/setup), initramfs, data disk,
  // console log, the running VM's pid and port. Default: /var/tmp/cirque/vm.
  std::string state_dir = "/var/tmp/cirque/vm";
  // Where the kernel package was unpacked. Default: <state_dir>/kernel.
  std::string kernel_dir;
  int memory_mb = 3072;
  // Two vCPUs (at most the host's cores): Docker starts a home's containers
  // in parallel, and with one vCPU the case study took 99 s against 73 s
  // with two (same code, TCG). A guest soft lockup was seen once with two
  // in an early version; the VM tier has run cleanly with two since.
  int cpus = DefaultVmCpus();
  // Host port for the engine's API on 127.0.0.1. Default 0: a free one.
  int port = 0;
  std::chrono::seconds boot_timeout{240};
  // How long Up and Down wait for another process's Up or Down on this
  // state folder (they take turns with a lock file) before giving up with
  // an error naming the holder. Longer than a slow Up: a TCG boot of up to
  // boot_timeout, then loading the node images.
  std::chrono::milliseconds lock_timeout = std::chrono::minutes(10);
  // "auto" (KVM if it really works, else TCG), "kvm" or "tcg".
  std::string accel = "auto";
  int data_disk_gb = 32;
  // Load cirque's node images from the local engine. Default: true.
  bool load_images = true;
  // Progress lines as the VM comes up. Default: none.
  std::function<void(std::string_view)> on_progress;
};

struct VmStatus {
  bool running = false;
  int pid = 0;
  int port = 0;
  std::string docker_host;  // "tcp://127.0.0.1:<port>"
  std::string accel;        // "kvm" or "tcg"
  std::string kernel_version;
  std::string engine_version;
  bool hwsim = false;
  bool netem = false;
};

class VmManager {
 public:
  explicit VmManager(VmOptions options);

  // Boots the VM, or returns the one already running. Throws Error naming
  // what failed, with the tail of the console log: kFailedPrecondition for
  // a missing kernel or qemu, kInvalidArgument for a port in use,
  // kDeadlineExceeded for a boot that did not finish in time or for another
  // Up or Down holding the state folder longer than lock_timeout, kNotFound
  // or kInternal naming a state file that cannot be read or written.
  VmStatus Up();

  // Shuts the VM down (dockerd first, then the guest), killing qemu if it
  // has not gone within 30 s. Does nothing when no VM runs. Waits for an Up
  // or Down in progress; throws Error (kDeadlineExceeded) naming the lock's
  // holder when that takes longer than lock_timeout.
  void Down();

  // What runs now; engine fields are filled when the engine answers.
  VmStatus Status();

  std::string console_log() const;

 private:
  void Progress(const std::string& line) const;
  std::string state_file() const;  // "<pid> <port> <accel>" of the running VM
  std::string lock_file() const;
  void WaitForEngine(int pid, int port, std::chrono::steady_clock::time_point deadline);
  void RemoveStopper(const std::string& docker_host);
  // Down, for a caller that holds the state folder's lock already.
  void DownLocked();
  void StopEngine(const std::string& docker_host);

  VmOptions options_;
};

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_VM_MANAGER_H_
