// Runs a program on this machine from an argv array (never a shell string),
// capturing its output, with a deadline.
//
// Used for host-side tools (ip, iptables, qemu) and by benchmarks; the Docker
// engine itself is always reached through the HTTP API, never the CLI.
//
// Children start with default signal dispositions and no signal blocked,
// whatever this process has: the library ignores SIGPIPE here (see
// RunProcess), and a child must not inherit that.
//
// Thread safety: RunProcess may be called from several threads at once.
#ifndef CIRQUE_TEST_UTIL_SUBPROCESS_H_
#define CIRQUE_TEST_UTIL_SUBPROCESS_H_

#include <chrono>
#include <string>
#include <vector>

namespace cirque {

struct ProcessOptions {
  // Killed with SIGKILL when it runs longer. Default: 60 s.
  std::chrono::milliseconds deadline{60000};
  // Written to the program's standard input, which is then closed.
  // Default: empty.
  std::string stdin_data;
};

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv[0] (looked up in PATH) with the given arguments and waits for it.
// Returns its result whatever the exit code. Every wait is bounded by the
// deadline, including the wait for the exit of a child that closed its
// output early. The first call ignores SIGPIPE in this process for good, so
// a child that stops reading its input cannot kill the caller.
// Throws Error: kInvalidArgument for an empty argv, kNotFound when the program
// cannot be started, kDeadlineExceeded (naming the command and the deadline)
// when it outlived the deadline and was killed, kInternal (naming the
// command) when its output cannot be watched or it outlives SIGKILL.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const ProcessOptions& options = {});

// Like RunProcess, but a non-zero exit also throws Error (kInternal) whose
// message has the command, the exit code and the last lines of stderr.
ProcessResult RunProcessOrThrow(const std::vector<std::string>& argv,
                                const ProcessOptions& options = {});

// Starts argv[0] in a new session, detached from this process: standard
// input from /dev/null, standard output and error appended to `log_path`.
// Returns its pid; the caller reaps or kills it. Throws Error (kNotFound)
// when the program cannot be started.
int SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path);

// True while process `pid` exists and is not a zombie.
bool ProcessAlive(int pid);

// "ip link add ..." for messages; quotes arguments that contain spaces.
std::string JoinArgv(const std::vector<std::string>& argv);

// The last `count` lines of `text`, for error messages.
std::string LastLines(const std::string& text, int count);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_SUBPROCESS_H_
