// Covers the system calls against the real engine: ping, version, info.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/docker/docker_test_env.h"

namespace cirque::docker::testing {
namespace {

using ::testing::Not;
using ::testing::IsEmpty;

TEST(SystemTest, PingsTheEngine) { EXPECT_NO_THROW(Client().Ping()); }

TEST(SystemTest, ReportsVersionAndNegotiatesAtLeast141) {
  VersionInfo version = Client().Version();
  EXPECT_THAT(version.version, Not(IsEmpty()));
  EXPECT_EQ(version.os, "linux");
  EXPECT_THAT(Client().api_version(), Not(IsEmpty()));
  EXPECT_GE(std::stod(Client().api_version()), 1.41 - 1e-9);
}

TEST(SystemTest, ReportsKernelOsCgroupAndStorage) {
  SystemInfo info = Client().Info();
  EXPECT_THAT(info.kernel_version, Not(IsEmpty()));
  EXPECT_THAT(info.operating_system, Not(IsEmpty()));
  EXPECT_THAT(info.cgroup_driver, Not(IsEmpty()));
  EXPECT_THAT(info.storage_driver, Not(IsEmpty()));
  EXPECT_GT(info.cpus, 0);
}

}  // namespace
}  // namespace cirque::docker::testing
