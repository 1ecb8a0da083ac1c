#include "cirque_test/util/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

#include "cirque_test/util/error.h"
#include "cirque_test/util/file_io.h"

namespace cirque {
namespace {

using Clock = std::chrono::steady_clock;

// Short against the deadlines callers give (seconds to minutes), long
// enough that a waiting process costs nothing.
constexpr auto kRetryInterval = std::chrono::milliseconds(100);

// The pid holding a flock on the file at (device, inode), from /proc/locks
// lines such as "1: FLOCK  ADVISORY  WRITE 1234 fe:00:10953185 0 EOF".
// Lines of waiters ("1: -> FLOCK ...") are skipped. 0 when none is listed.
int FlockHolder(dev_t device, ino_t inode) {
  char wanted[64];
  std::snprintf(wanted, sizeof wanted, "%02x:%02x:%lu", major(device), minor(device),
                static_cast<unsigned long>(inode));
  std::string locks;
  try {
    locks = ReadFileIfExists("/proc/locks");
  } catch (const Error&) {
    return 0;  // only for the message; it says it could not tell
  }
  std::istringstream lines(locks);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string number, kind, mode, access, pid, id;
    fields >> number >> kind >> mode >> access >> pid >> id;
    if (kind == "FLOCK" && id == wanted) return std::atoi(pid.c_str());
  }
  return 0;
}

// "cirque vm up" from /proc/<pid>/cmdline, or "" when it has gone.
std::string CommandLine(int pid) {
  std::string text;
  try {
    text = ReadFileIfExists("/proc/" + std::to_string(pid) + "/cmdline");
  } catch (const Error&) {
    return "";
  }
  std::replace(text.begin(), text.end(), '\0', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string FormatTimeout(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + " s";
  return std::to_string(timeout.count()) + " ms";
}

// The error for a lock still held at the deadline: who holds it, if /proc
// tells, and the fix. The lock goes with its holder, so removing the file
// is never the fix (and would let two holders in at once).
Error HeldTooLong(const std::string& path, int fd, std::chrono::milliseconds timeout) {
  struct stat file_stat {};
  int holder = fstat(fd, &file_stat) == 0 ? FlockHolder(file_stat.st_dev, file_stat.st_ino) : 0;
  std::string message = "cannot lock '" + path + "' within " + FormatTimeout(timeout) + ": ";
  if (holder > 0) {
    std::string command = CommandLine(holder);
    message += "pid " + std::to_string(holder) + (command.empty() ? "" : " (" + command + ")") +
               " holds it. If that process is hung, stop it (kill " + std::to_string(holder) + ")";
  } else {
    message += "another process holds it (`fuser " + path +
               "` names it). If that process is hung, stop it";
  }
  return Error(ErrorCode::kDeadlineExceeded,
               message + "; the lock goes with it, so do not remove the file");
}

}  // namespace

FileLock::FileLock(const std::string& path, std::chrono::milliseconds timeout) {
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kInternal,
                "cannot open lock file '" + path + "': " + std::strerror(errno));
  }
  const auto deadline = Clock::now() + timeout;
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int lock_errno = errno;
    if (lock_errno == EINTR) continue;
    if (lock_errno != EWOULDBLOCK || Clock::now() >= deadline) {
      Error error = lock_errno == EWOULDBLOCK
                        ? HeldTooLong(path, fd_, timeout)
                        : Error(ErrorCode::kInternal,
                                "cannot lock '" + path + "': " + std::strerror(lock_errno));
      close(fd_);
      throw error;
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(kRetryInterval, deadline - Clock::now()));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace cirque
