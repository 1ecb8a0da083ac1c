#include "cirque_test/images/rootfs_import.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cirque_test/images/apt_mirror.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/sha256.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::images {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVariant = "minbase";
constexpr auto kDebootstrapDeadline = std::chrono::minutes(20);

// Removes a scratch folder (and the tar beside it) when it goes.
class ScratchDir {
 public:
  ScratchDir() {
    fs::create_directories("/var/tmp/cirque");
    char path[] = "/var/tmp/cirque/rootfs-XXXXXX";
    if (mkdtemp(path) == nullptr) {
      throw Error(ErrorCode::kInternal, "cannot make a scratch folder under /var/tmp/cirque");
    }
    path_ = path;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
    fs::remove(path_ + ".tar", ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

RootfsImport::RootfsImport(docker::DockerClient& client, std::string suite,
                           std::map<std::string, std::string> labels,
                           std::function<void(std::string_view)> on_progress)
    : client_(client),
      suite_(std::move(suite)),
      labels_(std::move(labels)),
      on_progress_(std::move(on_progress)) {}

std::pair<std::string, std::string> RootfsImport::Ensure() {
  const std::string mirror = HostAptMirror(suite_);
  Sha256 hash;
  for (const std::string& part : {std::string("debootstrap-v2"), suite_, std::string(kVariant), mirror}) {
    hash.Update(part);
    hash.Update("\n");
  }
  for (const auto& [key, value] : labels_) hash.Update(key + "=" + value + "\n");
  const std::string tag = hash.HexDigest().substr(0, 16);
  const std::string reference = std::string(kRootfsRepository) + ":" + tag;
  auto progress = [this](const std::string& line) {
    if (on_progress_) on_progress_(line);
  };
  try {
    std::string id = client_.InspectImage(reference).id;
    progress("image rootfs: up to date (" + reference + ")");
    return {reference, id};
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kNotFound) throw;
  }
  if (geteuid() != 0) {
    throw Error(ErrorCode::kFailedPrecondition,
                "making " + reference + " needs debootstrap as root; run tools/setup as root");
  }
  ScratchDir scratch;
  progress("image rootfs: debootstrap --variant=" + std::string(kVariant) + " " + suite_ +
           " from " + mirror);
  ProcessOptions slow;
  slow.deadline = kDebootstrapDeadline;
  ProcessResult debootstrap = RunProcess(
      {"debootstrap", "--variant=" + std::string(kVariant), suite_, scratch.path(), mirror}, slow);
  if (debootstrap.exit_code != 0) {
    throw Error(ErrorCode::kInternal,
                "debootstrap of " + suite_ + " from " + mirror + " exited " +
                    std::to_string(debootstrap.exit_code) + ":\n" +
                    LastLines(debootstrap.stdout_text + debootstrap.stderr_text, 10));
  }
  // debootstrap keeps the packages it installed and the package lists;
  // images need neither.
  for (const char* cache : {"var/cache/apt/archives", "var/lib/apt/lists"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(scratch.path()) / cache)) {
      if (entry.is_regular_file()) fs::remove(entry.path());
    }
  }
  const std::string tar_path = scratch.path() + ".tar";
  RunProcessOrThrow({"tar", "--numeric-owner", "-C", scratch.path(), "-cf", tar_path, "."}, slow);
  std::unique_ptr<FILE, int (*)(FILE*)> tar(std::fopen(tar_path.c_str(), "rb"), &std::fclose);
  if (!tar) throw Error(ErrorCode::kInternal, "cannot read " + tar_path);
  progress("image rootfs: importing " + reference);
  docker::ImportSpec spec;
  spec.root_filesystem = [file = tar.get()](char* buffer, size_t capacity) {
    return std::fread(buffer, 1, capacity, file);
  };
  spec.repository = kRootfsRepository;
  spec.tag = tag;
  for (const auto& [key, value] : labels_) spec.changes.push_back("LABEL " + key + "=" + value);
  spec.changes.push_back("LABEL cirque.image=rootfs");
  spec.changes.push_back("CMD [\"bash\"]");
  std::string id = client_.ImportImage(spec);
  return {reference, id};
}

}  // namespace cirque::images
