// A running exec's standard streams held open in both directions: for a
// process in a container that serves many requests over its stdin and
// stdout (the exec agent, cirque_test/agent), where each request would
// otherwise cost a new exec.
//
// Ownership: returned by DockerClient::OpenExecStream; closing it (its
// destruction) closes the process's stdin. Thread safety: one thread at a
// time per stream.
#ifndef CIRQUE_TEST_DOCKER_EXEC_STREAM_H_
#define CIRQUE_TEST_DOCKER_EXEC_STREAM_H_

#include <chrono>
#include <string>
#include <string_view>

namespace cirque::docker {

class ExecStream {
 public:
  using Clock = std::chrono::steady_clock;
  enum class ReadOutcome { kData, kTimedOut, kClosed };

  virtual ~ExecStream() = default;
  // Writes to the process's stdin. Throws Error: kUnavailable when the
  // connection is gone, kDeadlineExceeded when `until` passed first.
  virtual void Write(std::string_view data, Clock::time_point until) = 0;
  // Appends what the process wrote, stdout and stderr apart, waiting at
  // most until `until`: kData when something came, kTimedOut when nothing
  // did, kClosed at the end (the process exited, or the engine closed the
  // connection).
  virtual ReadOutcome Read(Clock::time_point until, std::string& stdout_data, std::string& stderr_data) = 0;
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_EXEC_STREAM_H_
