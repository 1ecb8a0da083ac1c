// Loads cirque's node images into the VM's engine from the engine on this
// host (the local socket), as `docker save | docker load` would: the VM's
// engine cannot build them (it has no build context) and pulling is not an
// option offline.
//
// Errors: throws Error, from either engine (with the request) or naming the
// scratch file that could not be written or read, with strerror.
//
// Thread safety: one caller per state folder at a time (the scratch file is
// shared); VmManager holds the state folder's lock while it calls this.
#ifndef CIRQUE_TEST_VM_VM_IMAGES_LOADER_H_
#define CIRQUE_TEST_VM_VM_IMAGES_LOADER_H_

#include <functional>
#include <string>
#include <string_view>

namespace cirque::vm {

// Builds the node images the VM's tests use (ImageDefinition::for_vm) in the
// local engine where needed, then loads the ones the engine at `docker_host`
// lacks, through a tar under `scratch_dir` that is removed afterwards.
// `progress` (may be empty) gets a line per step.
void LoadNodeImages(const std::string& docker_host, const std::string& scratch_dir,
                    const std::function<void(std::string_view)>& progress);

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_VM_IMAGES_LOADER_H_
