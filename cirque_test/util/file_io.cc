#include "cirque_test/util/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

// POSIX calls rather than fstreams: a failed fstream leaves no reason, and
// the reason (ENOSPC, EROFS, EISDIR) is what tells a person the fix.
Error FileError(const std::string& what, const std::string& path, int error_number) {
  return Error(error_number == ENOENT ? ErrorCode::kNotFound : ErrorCode::kInternal,
               "cannot " + what + " '" + path + "': " + std::strerror(error_number));
}

// Closes the descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string ReadFile(const std::string& path) {
  FdCloser file{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw FileError("open", path, errno);
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = read(file.fd, buffer, sizeof buffer);
    if (n > 0) {
      content.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      return content;
    } else if (errno != EINTR) {
      throw FileError("read", path, errno);
    }
  }
}

std::string ReadFileIfExists(const std::string& path) {
  try {
    return ReadFile(path);
  } catch (const Error& error) {
    if (error.code() == ErrorCode::kNotFound) return "";
    throw;
  }
}

void WriteFile(const std::string& path, std::string_view content) {
  FdCloser file{open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
  if (file.fd < 0) throw FileError("open for writing", path, errno);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(file.fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw FileError("write", path, errno);
    written += static_cast<size_t>(n);
  }
  // Delayed write errors (NFS, some full disks) show only here.
  int fd = file.fd;
  file.fd = -1;
  if (close(fd) != 0 && errno != EINTR) throw FileError("write", path, errno);
}

}  // namespace cirque
