// The scripts the VM runs: stage 1 (/init in the initramfs, busybox) mounts
// the host's root read-only over 9p under a tmpfs overlay and hands over to
// stage 2 (the host's /bin/sh), which sets up the guest and runs dockerd with
// its API on TCP port 2375 (forwarded to the host's 127.0.0.1).
//
// Both print "cirque-vm: ..." progress lines on the console; a line with
// "cirque-vm: FAILED:" says why the VM gave up.
#ifndef CIRQUE_TEST_VM_GUEST_SCRIPTS_H_
#define CIRQUE_TEST_VM_GUEST_SCRIPTS_H_

namespace cirque::vm {

// Busybox modules stage 1 loads, in order, from /modules in the initramfs.
inline constexpr const char* kStage1Modules[] = {
    "virtio_ring", "virtio",  "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci",
    "netfs",       "fscache", "9pnet",                 "9pnet_virtio",          "9p",
    "overlay"};

extern const char* const kStage1Init;
extern const char* const kStage2Script;

// Console lines the host waits for.
inline constexpr const char* kStage1Marker = "cirque-vm: stage 1";
inline constexpr const char* kEngineStartedMarker = "cirque-vm: dockerd started";
inline constexpr const char* kFailedMarker = "cirque-vm: FAILED:";

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_GUEST_SCRIPTS_H_
