#include "cirque_test/vm/vm_image.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "cirque_test/util/error.h"
#include "cirque_test/util/file_io.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/vm/cpio_archive.h"
#include "cirque_test/vm/guest_scripts.h"

namespace cirque::vm {
namespace {

namespace fs = std::filesystem;

// Busybox applets stage 1 calls by name.
constexpr const char* kStage1Applets[] = {"sh",   "mount", "insmod",      "mkdir",   "cat",
                                          "cp",   "echo",  "switch_root", "poweroff"};

// Where each stage-1 module is under `modules` (one walk of the tree).
// Throws kFailedPrecondition naming the first one missing.
std::map<std::string, fs::path> FindStage1Modules(const fs::path& modules) {
  std::map<std::string, fs::path> found;
  std::error_code error;
  for (fs::recursive_directory_iterator it(modules, error), end; !error && it != end; it.increment(error)) {
    found[it->path().filename().string()] = it->path();
  }
  std::map<std::string, fs::path> wanted;
  for (const char* module : kStage1Modules) {
    auto at = found.find(std::string(module) + ".ko");
    if (at == found.end()) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "module " + std::string(module) + ".ko is not in " + modules.string() +
                      (error ? " (" + error.message() + ")" : "") + "; run tools/setup");
    }
    wanted[module] = at->second;
  }
  return wanted;
}

// `message` and the reason errno gives.
[[noreturn]] void ThrowErrno(const std::string& message) {
  throw Error(ErrorCode::kInternal, "vm: " + message + ": " + std::strerror(errno));
}

}  // namespace

std::string FindKernelVersion(const std::string& kernel_dir) {
  fs::path boot = fs::path(kernel_dir) / "boot";
  std::error_code ignored;  // a missing folder is reported below
  for (const auto& entry : fs::directory_iterator(boot, ignored)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("vmlinuz-", 0) != 0) continue;
    std::string version = name.substr(8);
    if (fs::exists(fs::path(kernel_dir) / "lib/modules" / version / "modules.dep", ignored)) {
      return version;
    }
  }
  throw Error(ErrorCode::kFailedPrecondition,
              "no VM kernel at " + kernel_dir +
                  " (boot/vmlinuz-* with lib/modules/<version>/modules.dep); run tools/setup, "
                  "which unpacks Debian's linux-image package there");
}

void WriteInitramfs(const std::string& kernel_dir, const std::string& kernel_version,
                    const std::string& path) {
  std::string busybox = ReadFileIfExists("/bin/busybox");
  if (busybox.empty()) {
    throw Error(ErrorCode::kFailedPrecondition, "/bin/busybox is missing; run tools/setup (busybox-static)");
  }
  CpioWriter cpio;
  for (const char* dir : {"bin", "dev", "proc", "sys", "modules", "hostroot", "upper", "newroot"}) {
    cpio.AddDirectory(dir);
  }
  cpio.AddFile("bin/busybox", busybox, 0755);
  for (const char* applet : kStage1Applets) cpio.AddSymlink(std::string("bin/") + applet, "busybox");
  const auto modules = FindStage1Modules(fs::path(kernel_dir) / "lib/modules" / kernel_version / "kernel");
  std::string order;
  for (const char* module : kStage1Modules) {
    cpio.AddFile("modules/" + std::string(module) + ".ko", ReadFile(modules.at(module).string()));
    order += std::string(module) + "\n";
  }
  cpio.AddFile("modules/order", order);
  cpio.AddFile("init", kStage1Init, 0755);
  cpio.AddFile("stage2", kStage2Script, 0755);
  WriteFile(path, cpio.Finish());
}

void MakeDataDisk(const std::string& path, int size_gb) {
  const std::string partial = path + ".partial";
  WriteFile(partial, "");
  if (truncate(partial.c_str(), static_cast<off_t>(size_gb) << 30) != 0) {
    ThrowErrno("cannot size the data disk '" + partial + "'");
  }
  // mkfs lives in /sbin, which a test's PATH may lack.
  std::string mkfs = fs::exists("/sbin/mkfs.ext4") ? "/sbin/mkfs.ext4" : "mkfs.ext4";
  RunProcessOrThrow({mkfs, "-q", "-F", "-L", "cirque-docker", partial});
  if (rename(partial.c_str(), path.c_str()) != 0) {
    ThrowErrno("cannot rename '" + partial + "' to '" + path + "'");
  }
}

}  // namespace cirque::vm
