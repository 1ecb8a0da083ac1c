// cirque_exec_agent: runs a node's commands, one at a time, for the test
// process on the other end of its stdin and stdout (exec_agent_protocol.h).
// Started once per node by a docker exec whose streams stay open; exits
// when its stdin ends (the client closed the connection, or the engine
// went away). Static, so it needs nothing from the node's image.
//
// A command runs as docker exec would run it: the agent's environment,
// user and working directory (those of the exec that started it), stdin
// from /dev/null, in a session of its own so that its deadline kills it
// with everything it started in the foreground. The command is over when
// its process exits, as with docker exec: a background child that keeps
// the output open does not hold the answer back.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "cirque_test/agent/exec_agent_protocol.h"

namespace {

using cirque::agent::Command;

int child_exited_pipe[2] = {-1, -1};

void OnChild(int) {
  int saved = errno;
  char byte = 0;
  (void)!write(child_exited_pipe[1], &byte, 1);
  errno = saved;
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// false at the end of the input (or an error) before `size` bytes came.
bool ReadExactly(int fd, std::string& out, size_t size) {
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = read(fd, out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

long long NowMs() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

[[noreturn]] void RunChild(const Command& command, int out, int err) {
  setsid();
  signal(SIGPIPE, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null = open("/dev/null", O_RDONLY);
  if (null >= 0) dup2(null, 0);
  dup2(out, 1);
  dup2(err, 2);
  std::vector<char*> argv;
  for (const auto& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  // The words docker exec uses, so that a missing program reads the same.
  int error = errno;
  std::string message = std::string("exec: \"") + command.argv[0] + "\": " +
                        (error == ENOENT ? "executable file not found in $PATH" : std::strerror(error)) + "\n";
  (void)!write(2, message.data(), message.size());
  _exit(error == ENOENT ? 127 : 126);
}

// Forwards what `fd` holds now as records of `kind`; false at its end.
bool Forward(int fd, char kind) {
  char buffer[65536];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  // A client that went away is noticed at the next request.
  WriteAll(1, cirque::agent::EncodeRecord(kind, std::string_view(buffer, static_cast<size_t>(n))));
  return true;
}

void Drain(int fd, char kind) {
  if (fd < 0) return;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    WriteAll(1, cirque::agent::EncodeRecord(kind, std::string_view(buffer, static_cast<size_t>(n))));
  }
}

void Run(const Command& command) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    WriteAll(1, cirque::agent::EncodeRecord(cirque::agent::kStderr,
                                            std::string("cirque_exec_agent: pipe: ") + std::strerror(errno) + "\n"));
    WriteAll(1, cirque::agent::EncodeExit(126, false));
    return;
  }
  // Drop wake-ups of an earlier command.
  char stale[64];
  while (read(child_exited_pipe[0], stale, sizeof stale) > 0) {
  }
  pid_t pid = fork();
  if (pid == 0) RunChild(command, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    WriteAll(1, cirque::agent::EncodeRecord(cirque::agent::kStderr,
                                            std::string("cirque_exec_agent: fork: ") + std::strerror(errno) + "\n"));
    WriteAll(1, cirque::agent::EncodeExit(126, false));
    close(out[0]);
    close(err[0]);
    return;
  }
  const long long deadline = NowMs() + command.deadline_ms;
  bool killed = false;
  int status = 0;
  int open_out = out[0], open_err = err[0];
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    long long left = deadline - NowMs();
    if (left <= 0 && !killed) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      killed = true;
      waitpid(pid, &status, 0);
      break;
    }
    pollfd fds[3] = {{child_exited_pipe[0], POLLIN, 0}, {open_out, POLLIN, 0}, {open_err, POLLIN, 0}};
    int ready = poll(fds, 3, static_cast<int>(left > 1000 ? 1000 : left));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (fds[0].revents != 0) {
      char wake[64];
      (void)!read(child_exited_pipe[0], wake, sizeof wake);
    }
    if (fds[1].revents != 0 && !Forward(open_out, cirque::agent::kStdout)) {
      close(open_out);
      open_out = -1;
    }
    if (fds[2].revents != 0 && !Forward(open_err, cirque::agent::kStderr)) {
      close(open_err);
      open_err = -1;
    }
  }
  // What the command wrote before it ended; a background child that keeps
  // the pipes open is not waited for.
  Drain(open_out, cirque::agent::kStdout);
  Drain(open_err, cirque::agent::kStderr);
  if (open_out >= 0) close(open_out);
  if (open_err >= 0) close(open_err);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 126;
  WriteAll(1, cirque::agent::EncodeExit(code, killed));
}

}  // namespace

int main() {
  signal(SIGPIPE, SIG_IGN);
  if (pipe2(child_exited_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return 1;
  struct sigaction action {};
  action.sa_handler = OnChild;
  action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &action, nullptr);
  if (!WriteAll(1, cirque::agent::EncodeRecord(cirque::agent::kHello, cirque::agent::kAgentVersion))) return 1;
  for (;;) {
    std::string size_bytes, payload;
    if (!ReadExactly(0, size_bytes, 4)) return 0;  // the client is gone
    uint32_t size = cirque::agent::ReadU32(size_bytes);
    std::optional<Command> command;
    if (size <= cirque::agent::kMaxRequestBytes) {
      if (!ReadExactly(0, payload, size)) return 0;
      command = cirque::agent::DecodeCommand(payload);
    }
    if (!command) {
      // The stream can no longer be trusted to be in step: say why, stop.
      WriteAll(1, cirque::agent::EncodeRecord(cirque::agent::kStderr,
                                              "cirque_exec_agent: malformed request of " + std::to_string(size) +
                                                  " bytes; stopping\n"));
      WriteAll(1, cirque::agent::EncodeExit(126, false));
      return 2;
    }
    Run(*command);
  }
}
