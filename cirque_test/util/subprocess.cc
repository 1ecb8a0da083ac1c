#include "cirque_test/util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

using Clock = std::chrono::steady_clock;

// After SIGKILL a child normally goes at once; one stuck in the kernel (a
// hung mount) does not, and we would rather report it than wait forever.
constexpr auto kKillGrace = std::chrono::seconds(5);

// The signals this library changes the disposition of in this process. A
// child must not inherit them: exec keeps "ignored", and a `yes | head`
// in a child whose SIGPIPE is ignored prints errors instead of stopping.
constexpr int kSignalsWeIgnore[] = {SIGPIPE};

// A child that exits before reading its input must not kill us when we
// write the rest of it.
void IgnoreSigpipeOnce() {
  static const bool ignored = [] {
    signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

// Closes the descriptors it holds when it goes out of scope.
struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
  void CloseEnd(int index) {
    if (fds[index] >= 0) close(fds[index]);
    fds[index] = -1;
  }
};

// Closes the descriptor it holds when it goes out of scope.
struct UniqueFd {
  int fd = -1;
  ~UniqueFd() {
    if (fd >= 0) close(fd);
  }
};

void MakePipe(Pipe& pipe_fds) {
  if (pipe2(pipe_fds.fds, O_CLOEXEC) != 0) {
    throw Error(ErrorCode::kInternal,
                std::string("pipe2 failed: ") + std::strerror(errno));
  }
}

// What the child gets as descriptors 0, 1 and 2. All are close-on-exec in
// this process; the copies made in the child are not.
struct ChildStdio {
  int in = -1;
  int out = -1;
  int err = -1;
};

// In the child, between fork and exec: async-signal-safe calls only (other
// threads of the parent may have held locks when it forked).
void PlaceFd(int fd, int target) {
  if (fd == target) {
    fcntl(fd, F_SETFD, 0);  // dup2 would keep close-on-exec
  } else {
    dup2(fd, target);
  }
}

[[noreturn]] void ExecInChild(char* const argv[], const ChildStdio& stdio, bool new_session,
                              int exec_status_fd) {
  if (new_session) setsid();
  for (int signal_number : kSignalsWeIgnore) signal(signal_number, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  PlaceFd(stdio.in, 0);
  PlaceFd(stdio.out, 1);
  PlaceFd(stdio.err, 2);
  execvp(argv[0], argv);
  int exec_errno = errno;
  ssize_t ignored = write(exec_status_fd, &exec_errno, sizeof exec_errno);
  (void)ignored;
  _exit(127);
}

// Waits for child `pid` to exit until `deadline`. Returns its wait status,
// or nothing when it still runs at the deadline. Throws Error (kInternal)
// when it cannot be waited for (someone else reaped it).
std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline,
                             const std::vector<std::string>& argv) {
  // Most children are gone by the first look; back off for the others.
  auto pause = std::chrono::microseconds(100);
  for (;;) {
    int status = 0;
    pid_t waited = waitpid(pid, &status, WNOHANG);
    if (waited == pid) return status;
    if (waited < 0 && errno != EINTR) {
      throw Error(ErrorCode::kInternal, "cannot wait for '" + JoinArgv(argv) +
                                            "' (pid " + std::to_string(pid) +
                                            "): " + std::strerror(errno));
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(20));
  }
}

// Kills child `pid` and reaps it. Throws Error (kInternal) naming the
// command when it outlives SIGKILL by kKillGrace.
void KillAndReap(pid_t pid, const std::vector<std::string>& argv) {
  kill(pid, SIGKILL);
  if (!WaitUntil(pid, Clock::now() + kKillGrace, argv)) {
    throw Error(ErrorCode::kInternal,
                "'" + JoinArgv(argv) + "' (pid " + std::to_string(pid) +
                    ") was still there " + std::to_string(kKillGrace.count()) +
                    " s after SIGKILL (stuck in the kernel?); it is left unreaped");
  }
}

// Forks and execs argv[0] (looked up in PATH) with `stdio` as its standard
// descriptors, default signal dispositions and no signal blocked. Returns
// its pid once exec succeeded. Throws Error: kNotFound when exec failed
// (the child is reaped), kInternal when fork failed.
pid_t StartChild(const std::vector<std::string>& argv, const ChildStdio& stdio, bool new_session) {
  Pipe exec_status;  // closes on exec: EOF means exec succeeded
  MakePipe(exec_status);
  std::vector<char*> c_argv;
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    throw Error(ErrorCode::kInternal, std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) ExecInChild(c_argv.data(), stdio, new_session, exec_status.fds[1]);
  exec_status.CloseEnd(1);
  int exec_errno = 0;
  ssize_t n;
  while ((n = read(exec_status.fds[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    // The child is exiting with 127; reap it so it leaves no zombie.
    if (!WaitUntil(pid, Clock::now() + kKillGrace, argv)) KillAndReap(pid, argv);
    throw Error(ErrorCode::kNotFound,
                "cannot run '" + argv[0] + "': " + std::strerror(exec_errno));
  }
  return pid;
}

// How the exchange with a running child ended.
enum class PumpEnd { kPipesClosed, kDeadline, kPollFailed };

// Feeds `input` to the child's stdin and collects its stdout and stderr
// until all three are closed, the deadline passes, or poll fails (errno is
// left set). Closes each of our pipe ends when done with it.
PumpEnd Pump(Pipe& in, Pipe& out, Pipe& err, const std::string& input,
             Clock::time_point deadline, ProcessResult& result) {
  size_t written = 0;
  if (input.empty()) in.CloseEnd(1);
  while (out.fds[0] >= 0 || err.fds[0] >= 0 || in.fds[1] >= 0) {
    pollfd fds[3] = {{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}, {in.fds[1], POLLOUT, 0}};
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) return PumpEnd::kDeadline;
    int ready = poll(fds, 3, static_cast<int>(remaining.count()));
    if (ready < 0 && errno != EINTR) return PumpEnd::kPollFailed;
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.stdout_text : result.stderr_text).append(buffer, n);
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out : err).CloseEnd(0);
      }
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = write(in.fds[1], input.data() + written, input.size() - written);
      if (n > 0) written += n;
      if ((n < 0 && errno != EINTR) || written == input.size()) in.CloseEnd(1);
    }
  }
  return PumpEnd::kPipesClosed;
}

int ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

}  // namespace

std::string JoinArgv(const std::vector<std::string>& argv) {
  std::string joined;
  for (const auto& arg : argv) {
    if (!joined.empty()) joined += ' ';
    if (arg.empty() || arg.find_first_of(" \t'\"") != std::string::npos) {
      joined += '\'' + arg + '\'';
    } else {
      joined += arg;
    }
  }
  return joined;
}

std::string LastLines(const std::string& text, int count) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t start = end;
  for (int lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == count) break;
  }
  return text.substr(start, end - start);
}

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const ProcessOptions& options) {
  if (argv.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "RunProcess: argv is empty");
  }
  IgnoreSigpipeOnce();
  Pipe in, out, err;
  MakePipe(in);
  MakePipe(out);
  MakePipe(err);
  pid_t pid = StartChild(argv, {in.fds[0], out.fds[1], err.fds[1]}, false);
  in.CloseEnd(0);
  out.CloseEnd(1);
  err.CloseEnd(1);

  // One deadline for the output and the exit: a child that closes its
  // output and keeps running is still bounded by it.
  const auto deadline = Clock::now() + options.deadline;
  ProcessResult result;
  PumpEnd end = Pump(in, out, err, options.stdin_data, deadline, result);
  if (end == PumpEnd::kPollFailed) {
    const int poll_errno = errno;
    KillAndReap(pid, argv);
    throw Error(ErrorCode::kInternal, "cannot watch the output of '" + JoinArgv(argv) +
                                          "': poll: " + std::strerror(poll_errno) +
                                          "; it was killed");
  }
  std::optional<int> status;
  if (end == PumpEnd::kPipesClosed) status = WaitUntil(pid, deadline, argv);
  if (!status) {
    KillAndReap(pid, argv);
    throw Error(ErrorCode::kDeadlineExceeded,
                "'" + JoinArgv(argv) + "' did not finish within " +
                    std::to_string(options.deadline.count()) + " ms and was killed");
  }
  result.exit_code = ExitCode(*status);
  return result;
}

int SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) throw Error(ErrorCode::kInvalidArgument, "SpawnDetached: argv is empty");
  UniqueFd log{open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)};
  if (log.fd < 0) {
    throw Error(ErrorCode::kInternal, "cannot open log '" + log_path + "': " + std::strerror(errno));
  }
  UniqueFd null{open("/dev/null", O_RDONLY | O_CLOEXEC)};
  if (null.fd < 0) {
    throw Error(ErrorCode::kInternal, std::string("cannot open /dev/null: ") + std::strerror(errno));
  }
  return StartChild(argv, {null.fd, log.fd, log.fd}, true);
}

bool ProcessAlive(int pid) {
  if (pid <= 0) return false;
  // Reap it if it is our child and has exited.
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return false;
  if (kill(pid, 0) != 0) return false;
  FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (stat == nullptr) return false;
  char state = '?';
  int scanned = std::fscanf(stat, "%*d %*s %c", &state);
  std::fclose(stat);
  return scanned == 1 && state != 'Z';
}

ProcessResult RunProcessOrThrow(const std::vector<std::string>& argv,
                                const ProcessOptions& options) {
  ProcessResult result = RunProcess(argv, options);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal,
                "'" + JoinArgv(argv) + "' exited " +
                    std::to_string(result.exit_code) + ": " +
                    LastLines(result.stderr_text + result.stdout_text, 5));
  }
  return result;
}

}  // namespace cirque
