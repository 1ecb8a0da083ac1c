#include "cirque_test/util/runfile.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

#include "tools/cpp/runfiles/runfiles.h"

namespace cirque {
namespace {

using bazel::tools::cpp::runfiles::Runfiles;
namespace fs = std::filesystem;

// The program's runfiles, or null when it has none.
std::unique_ptr<Runfiles> OpenRunfiles() {
  std::string error;
  if (std::getenv("TEST_SRCDIR") != nullptr) {
    if (std::unique_ptr<Runfiles> runfiles(Runfiles::CreateForTest(&error)); runfiles) return runfiles;
  }
  // Not argv[0], which a library does not have: the executable's real path,
  // beside which Bazel puts <name>.runfiles (bazel-bin links resolve there).
  std::error_code ignored;
  fs::path exe = fs::read_symlink("/proc/self/exe", ignored);
  return std::unique_ptr<Runfiles>(Runfiles::Create(exe.string(), &error));
}

}  // namespace

std::string FindCirqueRunfile(const std::string& path) {
  std::unique_ptr<Runfiles> runfiles = OpenRunfiles();
  if (!runfiles) return "";
  std::string found = runfiles->Rlocation(std::string(kCirqueRepositoryName) + "/" + path);
  std::error_code ignored;
  if (found.empty() || !fs::exists(found, ignored)) return "";
  return found;
}

}  // namespace cirque
