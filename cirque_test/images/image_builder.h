// Builds cirque's node images through the Docker API, content-addressed.
//
// Each image's tag is a hash of its inputs: every file in its folder (paths,
// contents, executable bits), the files of its external input if it has one
// (image_catalog.h: OpenThread for thread), the id of the image it is built
// on, and its build arguments. An image whose tag already exists is never
// rebuilt, so a warm run only hashes and inspects. A changed file rebuilds that image and,
// because their parent's id changes, every image built on it.
//
// The root of the tree, base, is built on a Debian root filesystem that
// `debootstrap --variant=minbase` makes from the host's apt mirror and the
// engine imports (also content-addressed), or on an image the caller names.
//
// Thread safety: not thread-safe; use one builder per thread.
#ifndef CIRQUE_TEST_IMAGES_IMAGE_BUILDER_H_
#define CIRQUE_TEST_IMAGES_IMAGE_BUILDER_H_

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/images/image_catalog.h"

namespace cirque::images {

struct ImageBuildOptions {
  std::string images_dir;  // REQUIRED: one folder per image, named as the image
  // The image base is built on. Default "": a debootstrap of the host's apt
  // mirror. Where a registry is reachable: "debian:bookworm-slim".
  std::string rootfs_image;
  std::string debian_suite = "bookworm";
  // Added to every image built (tests add their run labels). Default: none.
  std::map<std::string, std::string> labels;
  // Receives progress: one line per step and the build's own output.
  // Default: none.
  std::function<void(std::string_view)> on_progress;
  // Host folders of external inputs, by input name ("openthread"). Default:
  // none; an input not here is where tools/setup stages it (InputDir).
  std::map<std::string, std::string> input_dirs;
};

struct ImageResult {
  std::string name;
  std::string reference;  // "cirque/wifi-ap:3f2a..."
  std::string id;         // "sha256:..."
  bool built = false;     // false when the tag already existed
  std::chrono::milliseconds duration{0};
};

class ImageBuilder {
 public:
  // `client` must outlive the builder.
  ImageBuilder(docker::DockerClient& client, ImageCatalog catalog, ImageBuildOptions options);

  // Returns the image `name`, building it and the images under it where
  // their inputs changed. Throws Error: kInvalidArgument for an unknown name
  // or a missing folder; kFailedPrecondition when it is Unavailable (the
  // message is that line); the build's own error text for a failed build.
  ImageResult Ensure(const std::string& name);

  // Ensure for every image of the catalogue, parents first, except the
  // Unavailable ones: each of those gets a progress line saying why.
  std::vector<ImageResult> EnsureAll();

  // "" when image `name` can be built on this host; else one line saying
  // which external input (of it or an image under it) is not staged, and
  // the fix. Throws Error (kInvalidArgument) for an unknown name.
  std::string Unavailable(const std::string& name) const;

  // Removes earlier versions of the images this builder ensured (same
  // cirque.image label, same caller labels, another id) and of the root
  // filesystem. Images still used by a container are kept. Returns the
  // references removed.
  std::vector<std::string> RemoveSuperseded();

  // The reference of the root filesystem base was built on, once Ensure
  // built or found base; "" before.
  const std::string& rootfs_reference() const { return rootfs_reference_; }

  // The hash of an image's inputs, given the id of the image it builds on.
  std::string InputsHash(const ImageDefinition& image, const std::string& parent_id) const;

 private:
  // The root filesystem image's reference and id.
  std::pair<std::string, std::string> EnsureRootfs();
  void Progress(const std::string& line) const;

  docker::DockerClient& client_;
  ImageCatalog catalog_;
  ImageBuildOptions options_;
  std::map<std::string, ImageResult> ensured_;  // by name, this builder's run
  std::string rootfs_id_;  // set when this builder ensured a debootstrap rootfs
  std::string rootfs_reference_;
};

// The host folder of external input `input`: options.input_dirs, else the
// folder its variable names, else its default.
std::string InputDir(const ExternalInput& input, const ImageBuildOptions& options);

// Finds the images folder: $CIRQUE_IMAGES_DIR, else cirque's images/ in the
// program's runfiles (this library lists them in `data`, so any Bazel-built
// program or test that uses it has them, in cirque's workspace or a user's),
// else images/ under $BUILD_WORKSPACE_DIRECTORY (bazel run), else images/ in
// the current directory or the nearest parent holding a WORKSPACE file.
// Throws Error (kNotFound) saying where it looked.
std::string FindImagesDir();

}  // namespace cirque::images

#endif  // CIRQUE_TEST_IMAGES_IMAGE_BUILDER_H_
