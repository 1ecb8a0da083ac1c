// An exclusive lock on a file (flock), held while a FileLock lives, taken
// under a deadline.
//
// Processes that share a state folder (several `cirque vm up`, test
// processes) take turns with it. Waiting without a deadline would let one
// hung holder block every later process forever; instead the wait gives up
// with an error that names the lock file, the process holding it when it
// can be told (from /proc/locks), and what to do about it.
//
// The lock belongs to the open file, so two FileLocks on one path conflict
// even within one process, and it goes when its holder exits, however it
// exits: a stale lock file needs no cleaning up.
//
// Thread safety: a FileLock is owned by one thread; different FileLocks may
// be used from different threads.
#ifndef CIRQUE_TEST_UTIL_FILE_LOCK_H_
#define CIRQUE_TEST_UTIL_FILE_LOCK_H_

#include <chrono>
#include <string>

namespace cirque {

class FileLock {
 public:
  // Creates `path` when missing and locks it, retrying until `timeout` has
  // passed. Throws Error: kDeadlineExceeded (naming the path, the holder's
  // pid and command line when known, and the fix) when another holder keeps
  // it that long; kNotFound or kInternal (naming the path and strerror) when
  // it cannot be opened or locked at all.
  FileLock(const std::string& path, std::chrono::milliseconds timeout);
  ~FileLock();

  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_FILE_LOCK_H_
