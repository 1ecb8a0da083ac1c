#include "cirque_test/home/service_owner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

constexpr const char* kPrefix = "service@";
constexpr const char* kCommandLinePrefix = "cli@";
constexpr std::chrono::milliseconds kLockPoll{50};

bool CarriableInLabels(const std::string& path) {
  if (path.empty()) return false;
  for (unsigned char c : path) {
    if (!(std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

std::string LockPath(const std::string& state_dir) { return state_dir + "/lock"; }

}  // namespace

std::string ServiceOwnerText(const std::string& state_dir, OwnerKind kind) {
  return (kind == OwnerKind::kService ? kPrefix : kCommandLinePrefix) + CurrentOwner().host + ":" + state_dir;
}

bool ServiceOwnerIsGone(const std::string& owner_text) {
  std::string head = std::string(kPrefix) + CurrentOwner().host + ":";
  if (owner_text.rfind(head, 0) != 0) return false;
  std::string state_dir = owner_text.substr(head.size());
  if (!CarriableInLabels(state_dir) || state_dir.front() != '/') return false;
  int fd = open(LockPath(state_dir).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  // A shared lock is refused only while a service holds its exclusive one.
  bool gone = flock(fd, LOCK_SH | LOCK_NB) == 0;
  close(fd);
  return gone;
}

ServiceOwnerLock ServiceOwnerLock::Acquire(const std::string& state_dir, OwnerKind kind,
                                           std::chrono::milliseconds wait) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(state_dir, error).lexically_normal();
  std::string dir = absolute.string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (error || !CarriableInLabels(dir)) {
    throw Error(ErrorCode::kInvalidArgument,
                "state folder '" + state_dir + "': may hold only letters, digits and / . _ - (it names the "
                "service's homes in Docker labels and iptables comments); give another --state-dir");
  }
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw Error(ErrorCode::kFailedPrecondition,
                "state folder '" + dir + "': cannot make it: " + error.message() + "; give another --state-dir");
  }
  int fd = open(LockPath(dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(ErrorCode::kFailedPrecondition,
                "state folder '" + dir + "': cannot open its lock file: " + std::strerror(errno));
  }
  // Polled, so the wait has a deadline (flock itself waits forever).
  const auto give_up = std::chrono::steady_clock::now() + wait;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(kLockPoll);
      continue;
    }
    std::ifstream pid_file(dir + "/pid");
    std::string pid;
    std::getline(pid_file, pid);
    close(fd);
    const std::string holder = pid.empty() ? std::string() : " (pid " + pid + ")";
    if (kind == OwnerKind::kService) {
      throw Error(ErrorCode::kFailedPrecondition, "state folder '" + dir + "' is held by another cirque serve" +
                                                      holder + "; stop it, or give this one another --state-dir");
    }
    throw Error(ErrorCode::kDeadlineExceeded,
                "state folder '" + dir + "' was held by another cirque command" + holder + " for " +
                    std::to_string(wait.count()) + " ms; try again once it ends");
  }
  std::ofstream(dir + "/pid", std::ios::trunc) << getpid() << "\n";
  return ServiceOwnerLock(fd, dir, kind);
}

ServiceOwnerLock::ServiceOwnerLock(int fd, std::string state_dir, OwnerKind kind)
    : fd_(fd), state_dir_(std::move(state_dir)), owner_text_(ServiceOwnerText(state_dir_, kind)) {}

ServiceOwnerLock::ServiceOwnerLock(ServiceOwnerLock&& other) noexcept
    : fd_(other.fd_), state_dir_(std::move(other.state_dir_)), owner_text_(std::move(other.owner_text_)) {
  other.fd_ = -1;
}

ServiceOwnerLock::~ServiceOwnerLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace cirque::home
