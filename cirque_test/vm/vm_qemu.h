// The qemu process the VM runs in: its command line, the choice between KVM
// and TCG, the host port the engine's API is forwarded to, and killing it.
//
// Errors: throws Error naming what failed (kNotFound when qemu cannot be
// started, kInternal with strerror for a state file).
//
// Thread safety: free functions. The accel verdict and console log live in
// the state folder, which must have one writer at a time; VmManager holds
// the state folder's lock while it calls these.
#ifndef CIRQUE_TEST_VM_VM_QEMU_H_
#define CIRQUE_TEST_VM_VM_QEMU_H_

#include <functional>
#include <string>
#include <string_view>

namespace cirque::vm {

// Everything a boot needs but the accelerator.
struct QemuLaunch {
  std::string kernel_dir;      // boot/vmlinuz-<kernel_version>, lib/modules
  std::string kernel_version;
  std::string initramfs;       // from WriteInitramfs
  std::string data_disk;       // from MakeDataDisk
  std::string console_log;     // truncated at each boot
  int cpus = 1;
  int memory_mb = 0;
  int port = 0;                // host port on 127.0.0.1 for the engine's API
};

// Starts qemu detached with `accel` ("kvm" or "tcg"), its console going to
// launch.console_log. Returns its pid; the caller waits for it or kills it.
int StartQemu(const QemuLaunch& launch, const std::string& accel);

// `wanted` when it is "kvm" or "tcg". For "auto": the verdict remembered in
// `verdict_file`, else "kvm" if a boot with KVM reaches stage 1 within 30 s
// (that boot is killed), else "tcg"; the verdict is then remembered.
// `progress` (may be empty) gets a line per step.
std::string ChooseAccel(const QemuLaunch& launch, const std::string& wanted, const std::string& verdict_file,
                        const std::function<void(std::string_view)>& progress);

// Kills qemu and waits up to 10 s until it is gone (reaping it when it is
// our child), so no qemu outlives a failed boot.
void KillQemu(int pid);

// True when nothing listens on (or holds) `port` on 127.0.0.1.
bool PortFree(int port);

// A port on 127.0.0.1 free now. Throws Error (kInternal) when there is none.
int FreePort();

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_VM_QEMU_H_
