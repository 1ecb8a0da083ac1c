// Covers whole-file reads and writes: round trip, a missing file, and
// failures that name the file and the reason.
#include "cirque_test/util/file_io.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

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

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("cirque-file-io-test-"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(FileIoTest, WritesAndReadsBackBinaryContent) {
  const std::string content("a\0b\nc", 5);
  WriteFile(PathOf("f"), content);
  EXPECT_EQ(ReadFile(PathOf("f")), content);
  WriteFile(PathOf("f"), "short");
  EXPECT_EQ(ReadFile(PathOf("f")), "short");
}

TEST_F(FileIoTest, MissingFileIsNotFoundOrEmpty) {
  try {
    ReadFile(PathOf("absent"));
    FAIL() << "read a file that does not exist";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(PathOf("absent")), HasSubstr("No such file or directory")));
  }
  EXPECT_EQ(ReadFileIfExists(PathOf("absent")), "");
}

TEST_F(FileIoTest, ReadingAFolderNamesItAndTheReason) {
  std::filesystem::create_directories(PathOf("folder"));
  try {
    ReadFileIfExists(PathOf("folder"));
    FAIL() << "read a folder as a file";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInternal);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(PathOf("folder")), HasSubstr("Is a directory")));
  }
}

TEST_F(FileIoTest, WritingOverAFolderNamesItAndTheReason) {
  std::filesystem::create_directories(PathOf("folder"));
  try {
    WriteFile(PathOf("folder"), "x");
    FAIL() << "wrote over a folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInternal);
    EXPECT_THAT(error.what(), AllOf(HasSubstr(PathOf("folder")), HasSubstr("Is a directory")));
  }
}

TEST_F(FileIoTest, WritingAFullDiskNamesTheReason) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  try {
    WriteFile("/dev/full", "x");
    FAIL() << "wrote to a full device";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("/dev/full"), HasSubstr("No space left on device")));
  }
}

}  // namespace
}  // namespace cirque
