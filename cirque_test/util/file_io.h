// Whole-file reads and writes whose errors name the file and the reason.
//
// The state folders cirque keeps (the VM's, for one) hold small files it
// reads and writes whole; a failure there (a full disk, a read-only mount,
// a path that is a folder) must say which file and why, not leave a silent
// empty file behind.
//
// Thread safety: free functions, safe from any thread. Two writers of one
// path at once race as any two writers of a file do.
#ifndef CIRQUE_TEST_UTIL_FILE_IO_H_
#define CIRQUE_TEST_UTIL_FILE_IO_H_

#include <string>
#include <string_view>

namespace cirque {

// The contents of `path`. Throws Error naming the path and strerror:
// kNotFound when it does not exist, kInternal when it cannot be read.
std::string ReadFile(const std::string& path);

// Like ReadFile, but "" when `path` does not exist (for files that appear
// later, or a /proc entry of a process that has gone).
std::string ReadFileIfExists(const std::string& path);

// Makes `path` hold exactly `content`, creating it with mode 0644 when
// missing. Throws Error naming the path and strerror: kNotFound when its
// folder does not exist, kInternal when it cannot be opened or written in
// full.
void WriteFile(const std::string& path, std::string_view content);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_FILE_IO_H_
