#include "cirque_test/util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

using Clock = std::chrono::steady_clock;

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

void MakePipe(Pipe& pipe_fds) {
  if (pipe2(pipe_fds.fds, O_CLOEXEC) != 0) {
    throw Error(ErrorCode::kInternal,
                std::string("pipe2 failed: ") + std::strerror(errno));
  }
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
  // A child that exits before reading its input must not kill us.
  static const bool sigpipe_ignored = [] {
    signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;
  Pipe in, out, err, exec_status;
  MakePipe(in);
  MakePipe(out);
  MakePipe(err);
  MakePipe(exec_status);

  std::vector<char*> c_argv;
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    throw Error(ErrorCode::kInternal,
                std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    dup2(in.fds[0], 0);
    dup2(out.fds[1], 1);
    dup2(err.fds[1], 2);
    execvp(c_argv[0], c_argv.data());
    int exec_errno = errno;
    ssize_t ignored = write(exec_status.fds[1], &exec_errno, sizeof exec_errno);
    (void)ignored;
    _exit(127);
  }
  in.CloseEnd(0);
  out.CloseEnd(1);
  err.CloseEnd(1);
  exec_status.CloseEnd(1);

  int exec_errno = 0;
  if (read(exec_status.fds[0], &exec_errno, sizeof exec_errno) ==
      static_cast<ssize_t>(sizeof exec_errno)) {
    waitpid(pid, nullptr, 0);
    throw Error(ErrorCode::kNotFound, "cannot run '" + argv[0] +
                                          "': " + std::strerror(exec_errno));
  }

  ProcessResult result;
  size_t stdin_written = 0;
  if (options.stdin_data.empty()) in.CloseEnd(1);
  const auto deadline = Clock::now() + options.deadline;
  bool timed_out = false;
  while (out.fds[0] >= 0 || err.fds[0] >= 0 || in.fds[1] >= 0) {
    pollfd fds[3] = {{out.fds[0], POLLIN, 0},
                     {err.fds[0], POLLIN, 0},
                     {in.fds[1], POLLOUT, 0}};
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (remaining.count() <= 0) {
      timed_out = true;
      break;
    }
    int ready = poll(fds, 3, static_cast<int>(remaining.count()));
    if (ready < 0 && errno != EINTR) break;
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
      ssize_t n = write(in.fds[1], options.stdin_data.data() + stdin_written,
                        options.stdin_data.size() - stdin_written);
      if (n > 0) stdin_written += n;
      if (n < 0 || stdin_written == options.stdin_data.size()) in.CloseEnd(1);
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    throw Error(ErrorCode::kDeadlineExceeded,
                "'" + JoinArgv(argv) + "' did not finish within " +
                    std::to_string(options.deadline.count()) +
                    " ms and was killed");
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

int SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) throw Error(ErrorCode::kInvalidArgument, "SpawnDetached: argv is empty");
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    throw Error(ErrorCode::kInternal, "cannot open log '" + log_path + "': " + std::strerror(errno));
  }
  Pipe exec_status;
  MakePipe(exec_status);
  std::vector<char*> c_argv;
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    throw Error(ErrorCode::kInternal, std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setsid();
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(log, 1);
    dup2(log, 2);
    execvp(c_argv[0], c_argv.data());
    int exec_errno = errno;
    ssize_t ignored = write(exec_status.fds[1], &exec_errno, sizeof exec_errno);
    (void)ignored;
    _exit(127);
  }
  close(log);
  exec_status.CloseEnd(1);
  int exec_errno = 0;
  if (read(exec_status.fds[0], &exec_errno, sizeof exec_errno) ==
      static_cast<ssize_t>(sizeof exec_errno)) {
    waitpid(pid, nullptr, 0);
    throw Error(ErrorCode::kNotFound, "cannot run '" + argv[0] + "': " + std::strerror(exec_errno));
  }
  return pid;
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
