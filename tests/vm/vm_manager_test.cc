// Covers the VM backend's failure modes, each with a clear error: no kernel,
// a port in use, and a boot that does not finish in time (with the console's
// tail, and no qemu left behind).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/vm/vm_manager.h"

namespace cirque::vm {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kInstalledKernel = "/var/tmp/cirque/vm/kernel";

class VmManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_dir_ = fs::temp_directory_path() / ("cirque-vm-test-" + home::NewId());
    fs::create_directories(state_dir_);
    options_.state_dir = state_dir_.string();
    options_.kernel_dir = kInstalledKernel;
    options_.load_images = false;
    options_.accel = "tcg";
    options_.data_disk_gb = 1;
  }
  void TearDown() override { fs::remove_all(state_dir_); }
  bool KernelInstalled() const { return fs::exists(std::string(kInstalledKernel) + "/boot"); }

  // True while a qemu whose command line names our state folder runs.
  bool OurQemuRuns() const {
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::ifstream cmdline(entry.path() / "cmdline");
      std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
      if (text.find("qemu-system") != std::string::npos && text.find(state_dir_.string()) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  fs::path state_dir_;
  VmOptions options_;
};

TEST_F(VmManagerTest, NoKernelSaysWhereAndHowToGetOne) {
  options_.kernel_dir = (state_dir_ / "no-kernel").string();
  try {
    VmManager(options_).Up();
    FAIL() << "a VM came up without a kernel";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(options_.kernel_dir), HasSubstr("tools/setup")));
  }
}

TEST_F(VmManagerTest, PortInUseIsRefusedByNumber) {
  if (!KernelInstalled()) GTEST_SKIP() << "no kernel at " << kInstalledKernel << "; run tools/setup";
  int holder = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  options_.port = ntohs(address.sin_port);
  try {
    VmManager(options_).Up();
    FAIL() << "a VM came up on a port in use";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("port " + std::to_string(options_.port)), HasSubstr("in use")));
  }
  close(holder);
}

TEST_F(VmManagerTest, BootTimeoutShowsTheConsoleAndLeavesNoQemu) {
  if (!KernelInstalled()) GTEST_SKIP() << "no kernel at " << kInstalledKernel << "; run tools/setup";
  options_.boot_timeout = std::chrono::seconds(3);
  try {
    VmManager(options_).Up();
    FAIL() << "a VM booted in 3 s under TCG";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("within 3 s"), HasSubstr("console")));
  }
  EXPECT_FALSE(OurQemuRuns());
  EXPECT_FALSE(VmManager(options_).Status().running);
}

}  // namespace
}  // namespace cirque::vm
