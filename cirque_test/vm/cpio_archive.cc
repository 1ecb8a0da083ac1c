#include "cirque_test/vm/cpio_archive.h"

#include <cstdio>

namespace cirque::vm {
namespace {

constexpr unsigned kDirectory = 0040000;
constexpr unsigned kRegular = 0100000;
constexpr unsigned kSymlink = 0120000;

void PadTo4(std::string& text) {
  while (text.size() % 4 != 0) text += '\0';
}

}  // namespace

void CpioWriter::Add(std::string_view name, unsigned mode, std::string_view data) {
  char header[111];
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
  // rdevmajor, rdevminor, namesize (with its NUL), check.
  std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                next_inode_++, mode, 0u, 0u, (mode & kDirectory) == kDirectory ? 2u : 1u, 0u,
                static_cast<unsigned>(data.size()), 0u, 0u, 0u, 0u,
                static_cast<unsigned>(name.size() + 1), 0u);
  archive_.append(header, 110);
  archive_.append(name);
  archive_ += '\0';
  PadTo4(archive_);
  archive_.append(data);
  PadTo4(archive_);
}

void CpioWriter::AddDirectory(std::string_view name, int mode) { Add(name, kDirectory | mode, ""); }

void CpioWriter::AddFile(std::string_view name, std::string_view content, int mode) {
  Add(name, kRegular | mode, content);
}

void CpioWriter::AddSymlink(std::string_view name, std::string_view target) {
  Add(name, kSymlink | 0777, target);
}

std::string CpioWriter::Finish() {
  next_inode_ = 0;
  Add("TRAILER!!!", 0, "");
  std::string done;
  done.swap(archive_);
  next_inode_ = 1;
  return done;
}

}  // namespace cirque::vm
