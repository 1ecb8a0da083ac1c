// Covers the VM backend's failure modes, each with a clear error: no kernel,
// a port in use, a state file that cannot be written, another Up or Down
// holding the state folder's lock too long, and a boot that does not finish
// in time (with the console's tail, and no qemu left behind).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/file_lock.h"
#include "cirque_test/vm/vm_manager.h"

namespace cirque::vm {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kInstalledKernel = "/var/tmp/cirque/vm/kernel";

// How a call that might wait forever ended.
struct CallEnd {
  bool finished = false;  // false: still running at the limit
  bool threw = false;
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// Runs `call` on a thread of its own and waits at most `limit` for it. A
// call still waiting then is left behind (the process's exit ends it), so
// `call` must own everything it uses.
CallEnd CallWithin(std::chrono::seconds limit, std::function<void()> call) {
  auto end = std::make_shared<std::promise<CallEnd>>();
  std::future<CallEnd> ended = end->get_future();
  std::thread([end, call = std::move(call)] {
    try {
      call();
      end->set_value({.finished = true});
    } catch (const Error& error) {
      end->set_value({.finished = true, .threw = true, .code = error.code(), .message = error.what()});
    }
  }).detach();
  if (ended.wait_for(limit) != std::future_status::ready) return {};
  return ended.get();
}

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

TEST_F(VmManagerTest, UpGivesUpOnAHeldLockNamingItAndTheHolder) {
  const std::string lock_path = (state_dir_ / "lock").string();
  FileLock other_up(lock_path, std::chrono::milliseconds(100));
  options_.lock_timeout = std::chrono::milliseconds(300);
  // Should Up get past the lock after all, it stops at the missing kernel.
  options_.kernel_dir = (state_dir_ / "no-kernel").string();
  CallEnd end = CallWithin(std::chrono::seconds(20), [options = options_] { VmManager(options).Up(); });
  ASSERT_TRUE(end.finished) << "Up still waited for " << lock_path << " after 20 s";
  ASSERT_TRUE(end.threw) << "Up returned while another process held " << lock_path;
  EXPECT_EQ(end.code, ErrorCode::kDeadlineExceeded) << end.message;
  EXPECT_THAT(end.message, AllOf(HasSubstr(lock_path), HasSubstr("pid " + std::to_string(getpid())),
                                 HasSubstr("kill")));
}

TEST_F(VmManagerTest, DownTakesTheLockUpTakes) {
  const std::string lock_path = (state_dir_ / "lock").string();
  FileLock other_up(lock_path, std::chrono::milliseconds(100));
  options_.lock_timeout = std::chrono::milliseconds(300);
  CallEnd end = CallWithin(std::chrono::seconds(20), [options = options_] { VmManager(options).Down(); });
  ASSERT_TRUE(end.finished) << "Down still waited for " << lock_path << " after 20 s";
  ASSERT_TRUE(end.threw) << "Down went ahead while another process held " << lock_path;
  EXPECT_EQ(end.code, ErrorCode::kDeadlineExceeded) << end.message;
  EXPECT_THAT(end.message, HasSubstr(lock_path));
}

TEST_F(VmManagerTest, DownWithoutAStateFolderDoesNothing) {
  options_.state_dir = (state_dir_ / "never-used").string();
  VmManager(options_).Down();
  EXPECT_FALSE(fs::exists(options_.state_dir));
}

TEST_F(VmManagerTest, StateFileThatCannotBeWrittenIsNamed) {
  if (!KernelInstalled()) GTEST_SKIP() << "no kernel at " << kInstalledKernel << "; run tools/setup";
  // A folder where the initramfs goes: the write fails before qemu starts.
  const fs::path initramfs = state_dir_ / "initramfs.cpio";
  fs::create_directories(initramfs);
  try {
    VmManager(options_).Up();
    FAIL() << "Up went on without its initramfs";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr(initramfs.string()), HasSubstr("Is a directory")));
  }
  EXPECT_FALSE(OurQemuRuns());
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
