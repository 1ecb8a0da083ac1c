// Covers a full disk under a node: a 1 MiB tmpfs mounted on the engine's
// host (needs root and a local engine; skips saying so otherwise), bound
// into the node with the Mount capability. Writing a file larger than the
// disk (Node::WriteFile, as capabilities write their configs) gives an
// error naming the node, the path and "no space left on device", and
// keeps no half-written file: the disk has room again for a small file.
// The home leaves nothing.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/mount.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/cirque_environment.h"

namespace cirque::faults {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::CirqueEnvironment;

// A 1 MiB tmpfs on this machine, unmounted by the destructor. Skipped()
// says why it could not be made.
class TinyDisk {
 public:
  TinyDisk() : path_(fs::temp_directory_path() / ("cirque-full-disk-" + home::NewId())) {
    const docker::DockerEndpoint& engine = CirqueEnvironment::Get().client().endpoint();
    if (!engine.IsLocal()) {
      skipped_ = "the engine is not on this machine (" + engine.ToString() +
                 "): a tmpfs of this machine cannot be mounted into its nodes; run against the local socket";
      return;
    }
    if (::geteuid() != 0) {
      skipped_ = "mounting a tmpfs needs root; run the test as root (CI does)";
      return;
    }
    fs::create_directories(path_);
    RunProcessOrThrow({"mount", "-t", "tmpfs", "-o", "size=1m", "cirque-full-disk", path_.string()});
    mounted_ = true;
  }
  ~TinyDisk() {
    try {
      if (mounted_) RunProcess({"umount", path_.string()});
    } catch (const Error&) {
    }
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TinyDisk(const TinyDisk&) = delete;
  const std::string& Skipped() const { return skipped_; }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
  bool mounted_ = false;
  std::string skipped_;
};

TEST(FullDiskTest, WriteOntoAFullDiskSaysSoAndKeepsNoHalfWrittenFile) {
  TinyDisk disk;
  if (!disk.Skipped().empty()) GTEST_SKIP() << disk.Skipped();
  home::NodeSpec spec = home::NodeSpec::Named("filled");
  capabilities::ApplyTo(spec, capabilities::MountPair{disk.path(), "/small"});
  auto home = CirqueEnvironment::Get().MakeHome("full-disk", {spec});
  const std::string home_id = home->id();
  home::Node& node = home->node("filled");
  try {
    node.WriteFile("/small/big.bin", std::string(3 << 20, 'x'));
    ADD_FAILURE() << "3 MiB fitted onto a 1 MiB disk";
  } catch (const Error& error) {
    std::cout << "write error: " << error.what() << "\n";
    EXPECT_THAT(error.what(), AllOf(HasSubstr("node 'filled'"), HasSubstr("'/small/big.bin'"),
                                    HasSubstr("no space left on device"), HasSubstr("partial file was removed")));
  }
  EXPECT_EQ(node.Exec({"ls", "-A", "/small"}).stdout_text, "") << "a half-written file was kept";
  node.WriteFile("/small/small.txt", "fits\n");
  EXPECT_EQ(node.Exec({"cat", "/small/small.txt"}).stdout_text, "fits\n");
  home->Destroy();
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  EXPECT_EQ(client.ListContainers({{home::kHomeLabel, home_id}}).size() +
                client.ListNetworks({{home::kHomeLabel, home_id}}).size(),
            0u);
}

}  // namespace
}  // namespace cirque::faults
