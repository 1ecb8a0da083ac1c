// Writes cpio archives in the "newc" format, which the Linux kernel unpacks
// as an initramfs.
//
// Thread safety: not thread-safe.
#ifndef CIRQUE_TEST_VM_CPIO_ARCHIVE_H_
#define CIRQUE_TEST_VM_CPIO_ARCHIVE_H_

#include <string>
#include <string_view>

namespace cirque::vm {

class CpioWriter {
 public:
  void AddDirectory(std::string_view name, int mode = 0755);
  void AddFile(std::string_view name, std::string_view content, int mode = 0644);
  void AddSymlink(std::string_view name, std::string_view target);
  // Returns the archive with its trailer.
  std::string Finish();

 private:
  void Add(std::string_view name, unsigned mode, std::string_view data);

  std::string archive_;
  unsigned next_inode_ = 1;
};

}  // namespace cirque::vm

#endif  // CIRQUE_TEST_VM_CPIO_ARCHIVE_H_
