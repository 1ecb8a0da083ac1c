// A long-lived owner of homes: a cirque service's homes belong to its state
// folder, not to the process that made them, so a service started again
// after a crash or a SIGKILL can adopt them (VirtualHome::Adopt) instead of
// losing track of them.
//
// The cirque CLI, when it makes homes in its own process (no service),
// owns them the same way through its own folder, as a command-line owner
// ("cli@<host>:<folder>"): those homes outlive every command by design, so
// nothing but `cirque home rm` removes them (the reaper never does).
//
// The owner text is "service@<host>:<state folder>". The service holds an
// exclusive lock (flock) on <state folder>/lock while it runs; the kernel
// drops it when the process dies however it dies. So:
//   - a home's automatic reaper (ReapDeadRuns with OwnerIsGone) never takes
//     a service's homes: a service that was killed may be started again;
//   - ServiceOwnerIsGone says whether no service holds the folder now, for
//     `cirque reap` and for a service that starts with --reap.
//
// Errors: Error (kInvalidArgument) for a folder the owner text cannot carry,
// (kFailedPrecondition) when another service holds the lock, naming it.
// Thread safety: ServiceOwnerLock is not shared; the functions are pure or
// read the file system.
#ifndef CIRQUE_TEST_HOME_SERVICE_OWNER_H_
#define CIRQUE_TEST_HOME_SERVICE_OWNER_H_

#include <chrono>
#include <string>

namespace cirque::home {

enum class OwnerKind {
  kService,      // "service@...": gone once no service holds the folder
  kCommandLine,  // "cli@...": never gone to a reaper
};

// "service@<this host>:<state_dir>" (or "cli@...") for an absolute `state_dir`.
std::string ServiceOwnerText(const std::string& state_dir, OwnerKind kind = OwnerKind::kService);

// True only for a ServiceOwnerText of this host whose folder's lock no
// process holds (a missing folder or lock file counts as not held).
bool ServiceOwnerIsGone(const std::string& owner_text);

class ServiceOwnerLock {
 public:
  // Makes `state_dir` (and its parents) if needed and takes its lock,
  // waiting up to `wait` while another process holds it. The folder may
  // hold only [A-Za-z0-9/._-] (it goes into labels and iptables comments);
  // it is made absolute.
  static ServiceOwnerLock Acquire(const std::string& state_dir, OwnerKind kind = OwnerKind::kService,
                                  std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  ServiceOwnerLock(ServiceOwnerLock&& other) noexcept;
  ServiceOwnerLock& operator=(ServiceOwnerLock&&) = delete;
  ServiceOwnerLock(const ServiceOwnerLock&) = delete;
  // Releases the lock.
  ~ServiceOwnerLock();

  const std::string& state_dir() const { return state_dir_; }
  // ServiceOwnerText(state_dir()).
  const std::string& owner_text() const { return owner_text_; }

 private:
  ServiceOwnerLock(int fd, std::string state_dir, OwnerKind kind);
  int fd_ = -1;
  std::string state_dir_;
  std::string owner_text_;
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_SERVICE_OWNER_H_
