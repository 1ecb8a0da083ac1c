#include "cirque_test/vm/vm_images_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/error.h"

namespace cirque::vm {
namespace {

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

// `message` and the reason errno gives.
[[noreturn]] void ThrowErrno(const std::string& message) {
  throw Error(ErrorCode::kInternal, "vm: " + message + ": " + std::strerror(errno));
}

File OpenFile(const std::string& path, const char* mode) {
  File file(std::fopen(path.c_str(), mode), &std::fclose);
  if (!file) ThrowErrno(std::string("cannot open '") + path + "' (" + mode + ")");
  return file;
}

// The node images the VM's tests use (and the rootfs they are built on),
// built in `local` where missing, that `guest` lacks. An image whose
// outside input was not given (thread without OpenThread) is left out with
// a line saying so: the tests that need it skip, or fail where required.
std::vector<std::string> ImagesTheGuestLacks(docker::DockerClient& local, docker::DockerClient& guest,
                                             const std::function<void(const std::string&)>& say) {
  images::ImageBuildOptions build_options;
  build_options.images_dir = images::FindImagesDir();
  images::ImageBuilder builder(local, images::NodeImages(), build_options);
  std::vector<std::string> references;
  for (const auto& image : images::NodeImages()) {
    if (!image.for_vm) continue;
    if (std::string unavailable = builder.Unavailable(image.name); !unavailable.empty()) {
      say("vm: image " + image.name + " not loaded: " + unavailable);
      continue;
    }
    references.push_back(builder.Ensure(image.name).reference);
  }
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
  return missing;
}

// Saves `references` from `local` into the file at `tar_path`. A short
// write (a full disk) stops the save rather than leaving a truncated tar.
void SaveToFile(docker::DockerClient& local, const std::vector<std::string>& references,
                const std::string& tar_path) {
  File tar = OpenFile(tar_path, "wb");
  local.SaveImages(references, [&](std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), tar.get()) != data.size()) {
      ThrowErrno("cannot write '" + tar_path + "'");
    }
  });
  FILE* raw = tar.release();
  if (std::fclose(raw) != 0) ThrowErrno("cannot write '" + tar_path + "'");
}

// Loads the tar at `tar_path` into `guest`. A read error must not look
// like the end of the tar.
void LoadFromFile(docker::DockerClient& guest, const std::string& tar_path) {
  File tar = OpenFile(tar_path, "rb");
  guest.LoadImages([&](char* buffer, size_t capacity) {
    size_t n = std::fread(buffer, 1, capacity, tar.get());
    if (n == 0 && std::ferror(tar.get())) ThrowErrno("cannot read '" + tar_path + "'");
    return n;
  });
}

}  // namespace

void LoadNodeImages(const std::string& docker_host, const std::string& scratch_dir,
                    const std::function<void(std::string_view)>& progress) {
  std::function<void(const std::string&)> say = [&progress](const std::string& line) {
    if (progress) progress(line);
  };
  docker::ClientOptions local_options;
  local_options.endpoint = docker::DockerEndpoint{};  // the local socket
  docker::DockerClient local(local_options);
  docker::ClientOptions guest_options;
  guest_options.endpoint = docker::DockerEndpoint::Parse(docker_host);
  docker::DockerClient guest(guest_options);

  std::vector<std::string> missing = ImagesTheGuestLacks(local, guest, say);
  if (missing.empty()) {
    say("vm: node images already in the VM's engine");
    return;
  }
  say("vm: loading " + std::to_string(missing.size()) + " node images into the VM's engine");
  const std::string tar_path = scratch_dir + "/images.tar";
  SaveToFile(local, missing, tar_path);
  LoadFromFile(guest, tar_path);
  // A tar left behind (if this fails) is only scratch: the next load
  // truncates it.
  std::error_code ignored;
  std::filesystem::remove(tar_path, ignored);
  say("vm: node images loaded");
}

}  // namespace cirque::vm
