#include "service/mount_policy.h"

#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/mount.h"
#include "capabilities/weave.h"
#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class MountPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("mount-policy-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "allowed" / "sub");
    fs::create_directories(root_ / "secret");
    fs::create_symlink(root_ / "secret", root_ / "allowed" / "link");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Path(const std::string& relative) const { return (root_ / relative).string(); }
  static home::NodeSpec Mounting(const std::string& host_path) {
    return home::NodeSpec::Named("n").With(capabilities::MountPair{host_path, "/data"});
  }
  std::string Refusal(const MountPolicy& policy, const home::NodeSpec& node) {
    try {
      policy.Check({node});
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
      return error.what();
    }
    return "";
  }

  fs::path root_;
};

TEST_F(MountPolicyTest, OnlyPathsUnderAnAllowedDirectoryPass) {
  MountPolicy policy({Path("allowed")});
  EXPECT_EQ(Refusal(policy, Mounting(Path("allowed"))), "");
  EXPECT_EQ(Refusal(policy, Mounting(Path("allowed/sub/file.txt"))), "");  // need not exist yet
  EXPECT_EQ(Refusal(policy, home::NodeSpec::Named("plain")), "");
}

TEST_F(MountPolicyTest, TraversalLinksSiblingsAndRootAreRefusedNamingTheFix) {
  MountPolicy policy({Path("allowed")});
  for (const std::string& path : {std::string("/"), std::string("/etc"), Path("allowed/../secret"),
                                  Path("allowed/link"), Path("allowed/link/key.pem"), Path("allowedX")}) {
    std::string refusal = Refusal(policy, Mounting(path));
    EXPECT_THAT(refusal, HasSubstr("node 'n': mount_pairs host path '" + path + "'")) << path;
    EXPECT_THAT(refusal, HasSubstr("--allow-mount")) << path;
  }
}

TEST_F(MountPolicyTest, NothingAllowedRefusesEveryMountAndWeaveFiles) {
  MountPolicy policy({});
  EXPECT_THAT(Refusal(policy, Mounting(Path("allowed"))), HasSubstr("(none)"));
  home::NodeSpec weave = home::NodeSpec::Named("w").With(capabilities::WeaveSettings{
      .config_file = "/etc/shadow", .target_path = "/etc/weave.json"});
  EXPECT_THAT(Refusal(policy, weave), HasSubstr("weave_config_file host path '/etc/shadow'"));
}

TEST(MountPolicyOptionsTest, RelativeDirectoriesAreRefused) {
  try {
    MountPolicy policy({"data"});
    ADD_FAILURE() << "accepted a relative directory";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("--allow-mount 'data'"));
  }
}

}  // namespace
}  // namespace cirque::service
