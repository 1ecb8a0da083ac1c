// Writes and reads tar archives (POSIX ustar, plus the pax and GNU long-name
// records that Docker's archive endpoint may send).
//
// The engine takes build contexts, imported root filesystems and files copied
// into containers as tar streams, and returns copied-out files the same way.
//
// Thread safety: TarWriter is not thread-safe; ReadTar is a pure function.
#ifndef CIRQUE_TEST_UTIL_TAR_ARCHIVE_H_
#define CIRQUE_TEST_UTIL_TAR_ARCHIVE_H_

#include <string>
#include <string_view>
#include <vector>

namespace cirque {

enum class TarEntryType { kFile, kDirectory, kSymlink, kOther };

struct TarEntry {
  std::string name;         // path inside the archive, no leading "./"
  TarEntryType type = TarEntryType::kFile;
  int mode = 0644;
  std::string content;      // kFile only
  std::string link_target;  // kSymlink only
};

// Builds an archive in memory. Names longer than ustar allows are written
// with a pax header, so any length works.
class TarWriter {
 public:
  void AddFile(std::string_view name, std::string_view content, int mode = 0644);
  void AddDirectory(std::string_view name, int mode = 0755);
  void AddSymlink(std::string_view name, std::string_view target);
  void Add(const TarEntry& entry);

  // Returns the archive, terminated by the two zero blocks tar requires.
  // The writer may be used again afterwards; it then starts a new archive.
  std::string Finish();

 private:
  void AppendHeader(std::string_view name, char type_flag, int mode,
                    size_t size, std::string_view link_target);
  void AppendData(std::string_view data);

  std::string archive_;
};

// Parses an archive. Throws Error (kInvalidArgument) when the data is not a
// tar archive or is cut short, naming the offset.
std::vector<TarEntry> ReadTar(std::string_view archive);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_TAR_ARCHIVE_H_
