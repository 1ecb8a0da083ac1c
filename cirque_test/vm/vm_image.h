// What the VM boots from and keeps its engine's data on, made on this host:
// the kernel that tools/setup unpacked, the initramfs (busybox, the stage-1
// modules, the guest scripts) and the engine's ext4 data disk.
//
// Errors: every function throws Error naming the file and, where there is
// one, the fix (kFailedPrecondition when tools/setup has not provided
// something; kNotFound or kInternal with strerror when a file cannot be read
// or written).
//
// Thread safety: free functions. Files in one state folder must have one
// writer at a time; VmManager holds the state folder's lock while it calls
// these.
#ifndef CIRQUE_TEST_VM_VM_IMAGE_H_
#define CIRQUE_TEST_VM_VM_IMAGE_H_

#include <string>

namespace cirque::vm {

// The version of the kernel in `kernel_dir`: the first boot/vmlinuz-<v>
// with lib/modules/<v>/modules.dep beside it.
std::string FindKernelVersion(const std::string& kernel_dir);

// Writes to `path` the initramfs that runs stage 1 (see guest_scripts.h)
// with the stage-1 modules of `kernel_version` taken from `kernel_dir`.
void WriteInitramfs(const std::string& kernel_dir, const std::string& kernel_version,
                    const std::string& path);

// Makes an empty ext4 disk of `size_gb` at `path` (sparse; mkfs.ext4).
// Made under another name and renamed, so a disk at `path` is always whole.
void MakeDataDisk(const std::string& path, int size_gb);

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_VM_IMAGE_H_
