// Covers writing and reading tar archives, long names and damaged input.
#include "cirque_test/util/tar_archive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

TEST(TarArchiveTest, RoundTripsFilesDirectoriesAndSymlinks) {
  TarWriter writer;
  writer.AddDirectory("etc");
  writer.AddFile("etc/hostapd.conf", "ssid=home\n", 0600);
  writer.AddSymlink("bin/sh", "busybox");
  std::vector<TarEntry> entries = ReadTar(writer.Finish());
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "etc");
  EXPECT_EQ(entries[0].type, TarEntryType::kDirectory);
  EXPECT_EQ(entries[1].content, "ssid=home\n");
  EXPECT_EQ(entries[1].mode, 0600);
  EXPECT_EQ(entries[2].type, TarEntryType::kSymlink);
  EXPECT_EQ(entries[2].link_target, "busybox");
}

TEST(TarArchiveTest, KeepsNamesLongerThanUstarAllows) {
  std::string long_name = std::string(150, 'd') + "/" + std::string(120, 'f');
  TarWriter writer;
  writer.AddFile(long_name, std::string(1000, 'x'));
  std::vector<TarEntry> entries = ReadTar(writer.Finish());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, long_name);
  EXPECT_EQ(entries[0].content.size(), 1000u);
}

TEST(TarArchiveTest, RejectsDamagedArchives) {
  TarWriter writer;
  writer.AddFile("a", "content");
  std::string archive = writer.Finish();
  std::string damaged = archive;
  damaged[10] ^= 1;
  EXPECT_THROW(ReadTar(damaged), Error);
  EXPECT_THROW(ReadTar(archive.substr(0, 600)), Error);
}

}  // namespace
}  // namespace cirque
