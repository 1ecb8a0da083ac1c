// Covers the lock file: it is exclusive, it is free again when its holder
// goes, and a holder that keeps it past the deadline is named in the error.
#include "cirque_test/util/file_lock.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

using ::testing::HasSubstr;

// A fresh folder of its own: pids repeat across sandboxes (each has its own
// pid namespace) while /tmp may be shared, so a pid is not unique enough.
std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern << ": " << std::strerror(errno);
  return pattern;
}
using Clock = std::chrono::steady_clock;

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("cirque-file-lock-test-");
    path_ = (dir_ / "lock").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(FileLockTest, IsFreeAgainWhenItsHolderGoes) {
  { FileLock first(path_, std::chrono::milliseconds(100)); }
  FileLock second(path_, std::chrono::milliseconds(100));
}

TEST_F(FileLockTest, HeldLockTimesOutNamingTheFileAndTheHolder) {
  FileLock holder(path_, std::chrono::milliseconds(100));
  const auto started = Clock::now();
  try {
    FileLock waiter(path_, std::chrono::milliseconds(300));
    FAIL() << "two FileLocks held " << path_ << " at once";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(path_), HasSubstr("300 ms"),
                                    HasSubstr("pid " + std::to_string(getpid())),
                                    HasSubstr("file_lock_test"), HasSubstr("do not remove")));
  }
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(300));
}

TEST_F(FileLockTest, WaitsForAHolderThatLetsGoInTime) {
  auto holder = std::make_unique<FileLock>(path_, std::chrono::milliseconds(100));
  std::thread releaser([&holder] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    holder.reset();
  });
  FileLock waiter(path_, std::chrono::seconds(10));
  releaser.join();
}

TEST_F(FileLockTest, MissingFolderIsNamed) {
  const std::string path = (dir_ / "absent" / "lock").string();
  try {
    FileLock lock(path, std::chrono::milliseconds(100));
    FAIL() << "locked a file in a folder that does not exist";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(path), HasSubstr("No such file or directory")));
  }
}

}  // namespace
}  // namespace cirque
