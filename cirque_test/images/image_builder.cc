#include "cirque_test/images/image_builder.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cirque_test/images/rootfs_import.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/runfile.h"
#include "cirque_test/util/sha256.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::images {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kTagLength = 16;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// The image's folder as (relative path, is executable, content), sorted.
struct ContextFile {
  std::string path;
  bool executable;
  std::string content;
};

std::vector<ContextFile> ReadContext(const fs::path& dir) {
  std::vector<ContextFile> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    // Follow symlinks: Bazel's runfiles link every file to the source tree.
    fs::file_status status = fs::status(entry.path());
    if (!fs::is_regular_file(status)) continue;
    bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
    files.push_back({entry.path().lexically_relative(dir).generic_string(), executable,
                     ReadFile(entry.path())});
  }
  std::sort(files.begin(), files.end(),
            [](const ContextFile& a, const ContextFile& b) { return a.path < b.path; });
  return files;
}

fs::path ImageDir(const ImageBuildOptions& options, const ImageDefinition& image) {
  fs::path dir = fs::path(options.images_dir) / image.name;
  if (!fs::is_regular_file(dir / "Dockerfile")) {
    throw Error(ErrorCode::kInvalidArgument,
                "image '" + image.name + "': no Dockerfile at " + (dir / "Dockerfile").string() +
                    "; is --images-dir (now '" + options.images_dir + "') the repo's images/ folder?");
  }
  return dir;
}

// Whether `dir` holds a file: a staged input is never an empty folder.
bool HasFiles(const std::string& dir) {
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (fs::is_regular_file(fs::status(it->path(), error))) return true;
  }
  return false;
}

// The image's build context: its folder's files, then its external input's
// under the input's name.
std::vector<ContextFile> ImageContext(const ImageBuildOptions& options, const ImageDefinition& image) {
  std::vector<ContextFile> files = ReadContext(ImageDir(options, image));
  if (!image.external_input) return files;
  const ExternalInput& input = *image.external_input;
  const std::string prefix = input.name + "/";
  for (const auto& file : files) {
    if (file.path.rfind(prefix, 0) == 0) {
      throw Error(ErrorCode::kInvalidArgument,
                  "image '" + image.name + "': its folder has " + file.path + ", but " + prefix +
                      " in its build context is for " + input.what);
    }
  }
  for (auto& file : ReadContext(InputDir(input, options))) {
    file.path = prefix + file.path;
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

std::string InputDir(const ExternalInput& input, const ImageBuildOptions& options) {
  if (auto given = options.input_dirs.find(input.name); given != options.input_dirs.end()) {
    return given->second;
  }
  if (const char* dir = std::getenv(input.env.c_str()); dir != nullptr && *dir != '\0') return dir;
  return input.default_dir;
}

ImageBuilder::ImageBuilder(docker::DockerClient& client, ImageCatalog catalog,
                           ImageBuildOptions options)
    : client_(client), catalog_(std::move(catalog)), options_(std::move(options)) {}

void ImageBuilder::Progress(const std::string& line) const {
  if (options_.on_progress) options_.on_progress(line);
}

std::string ImageBuilder::InputsHash(const ImageDefinition& image,
                                     const std::string& parent_id) const {
  Sha256 hash;
  auto field = [&hash](std::string_view value) {
    hash.Update(std::to_string(value.size()));
    hash.Update(":");
    hash.Update(value);
  };
  field("cirque-image-inputs-v1");
  field(image.name);
  field(parent_id);
  for (const auto& file : ImageContext(options_, image)) {
    field(file.path);
    field(file.executable ? "x" : "-");
    field(file.content);
  }
  for (const auto& [key, value] : options_.labels) {
    field(key);
    field(value);
  }
  return hash.HexDigest();
}

std::pair<std::string, std::string> ImageBuilder::EnsureRootfs() {
  if (!options_.rootfs_image.empty()) {
    try {
      return {options_.rootfs_image, client_.InspectImage(options_.rootfs_image).id};
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) throw;
      throw Error(ErrorCode::kFailedPrecondition,
                  "rootfs image '" + options_.rootfs_image +
                      "' is not on the engine; pull or import it first, or leave "
                      "--rootfs-image unset to debootstrap from the host's apt mirror");
    }
  }
  RootfsImport rootfs(client_, options_.debian_suite, options_.labels, options_.on_progress);
  auto reference_and_id = rootfs.Ensure();
  rootfs_id_ = reference_and_id.second;
  return reference_and_id;
}

std::vector<std::string> ImageBuilder::RemoveSuperseded() {
  std::map<std::string, std::string> current;  // cirque.image label -> id
  for (const auto& [name, result] : ensured_) current[name] = result.id;
  if (!rootfs_id_.empty()) current["rootfs"] = rootfs_id_;
  std::vector<std::string> removed;
  for (const auto& [name, id] : current) {
    docker::LabelFilter filter = options_.labels;
    filter["cirque.image"] = name;
    for (const auto& image : client_.ListImages(filter)) {
      // Only images made with exactly the caller's labels: a test run's
      // images and the user's images never supersede each other.
      bool same_owner = true;
      for (const char* key : {"cirque.run", "cirque.test"}) {
        bool theirs = image.labels.count(key) != 0;
        bool ours = options_.labels.count(key) != 0;
        same_owner = same_owner && theirs == ours;
      }
      if (image.id == id || !same_owner) continue;
      try {
        for (const auto& tag : image.tags) client_.RemoveImage(tag);
        if (image.tags.empty()) client_.RemoveImage(image.id);
        removed.push_back(image.tags.empty() ? image.id : image.tags.front());
      } catch (const Error& error) {
        if (error.code() != ErrorCode::kConflict) throw;  // in use: keep it
      }
    }
  }
  return removed;
}

ImageResult ImageBuilder::Ensure(const std::string& name) {
  if (auto done = ensured_.find(name); done != ensured_.end()) return done->second;
  const ImageDefinition& image = FindImage(catalog_, name);
  if (std::string missing = Unavailable(name); !missing.empty()) {
    throw Error(ErrorCode::kFailedPrecondition, "image '" + name + "': " + missing);
  }
  const auto started = Clock::now();

  std::string parent_reference, parent_id, parent_arg;
  if (image.needs_rootfs) {
    std::tie(parent_reference, parent_id) = EnsureRootfs();
    rootfs_reference_ = parent_reference;
    parent_arg = "ROOTFS";
  } else if (!image.parent.empty()) {
    ImageResult parent = Ensure(image.parent);
    parent_reference = parent.reference;
    parent_id = parent.id;
    parent_arg = "BASE";
  }
  const std::string inputs = InputsHash(image, parent_id);
  ImageResult result;
  result.name = name;
  result.reference = image.repository + ":" + inputs.substr(0, kTagLength);
  try {
    result.id = client_.InspectImage(result.reference).id;
    Progress("image " + name + ": up to date (" + result.reference + ")");
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kNotFound) throw;
    Progress("image " + name + ": building " + result.reference +
             (parent_reference.empty() ? "" : " on " + parent_reference));
    TarWriter context;
    for (const auto& file : ImageContext(options_, image)) {
      context.AddFile(file.path, file.content, file.executable ? 0755 : 0644);
    }
    std::string tar = context.Finish();
    docker::BuildSpec spec;
    spec.context = docker::TarFromString(tar);
    spec.tags = {result.reference};
    if (!parent_arg.empty()) spec.build_args[parent_arg] = parent_reference;
    spec.labels = options_.labels;
    spec.labels["cirque.image"] = name;
    spec.labels["cirque.inputs"] = inputs;
    spec.on_progress = [this, &name](std::string_view line) {
      Progress("  " + name + " | " + std::string(line));
    };
    result.id = client_.BuildImage(spec);
    result.built = true;
  }
  result.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  ensured_[name] = result;
  return result;
}

std::vector<ImageResult> ImageBuilder::EnsureAll() {
  std::vector<ImageResult> results;
  for (const auto& image : catalog_) {
    if (std::string missing = Unavailable(image.name); !missing.empty()) {
      Progress("image " + image.name + ": skipped: " + missing);
      continue;
    }
    results.push_back(Ensure(image.name));
  }
  return results;
}

std::string ImageBuilder::Unavailable(const std::string& name) const {
  for (const ImageDefinition* image = &FindImage(catalog_, name);;
       image = &FindImage(catalog_, image->parent)) {
    if (image->external_input) {
      const ExternalInput& input = *image->external_input;
      const std::string dir = InputDir(input, options_);
      if (!HasFiles(dir)) return "no " + input.what + " staged in " + dir + "; " + input.fix;
    }
    if (image->parent.empty()) return "";
  }
}

std::string FindImagesDir() {
  if (const char* dir = std::getenv("CIRQUE_IMAGES_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (std::string base = FindCirqueRunfile("images/base/Dockerfile"); !base.empty()) {
    return fs::path(base).parent_path().parent_path().string();
  }
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY"); workspace != nullptr) {
    return (fs::path(workspace) / "images").string();
  }
  for (fs::path dir = fs::current_path();; dir = dir.parent_path()) {
    if (fs::is_directory(dir / "images") &&
        (fs::exists(dir / "WORKSPACE") || fs::exists(dir / "images" / "base" / "Dockerfile"))) {
      return (dir / "images").string();
    }
    if (dir == dir.parent_path()) break;
  }
  throw Error(ErrorCode::kNotFound,
              "cannot find the images folder: CIRQUE_IMAGES_DIR is unset, the program's runfiles "
              "lack @cirque//images and there is no images/ beside a WORKSPACE above " +
                  fs::current_path().string() +
                  "; depend on @cirque//cirque_test/images (the fixtures do), run from cirque's "
                  "repository or set CIRQUE_IMAGES_DIR");
}

}  // namespace cirque::images
