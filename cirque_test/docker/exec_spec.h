// Running a command in a running container.
#ifndef CIRQUE_TEST_DOCKER_EXEC_SPEC_H_
#define CIRQUE_TEST_DOCKER_EXEC_SPEC_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cirque::docker {

enum class OutputStream { kStdout, kStderr };

struct ExecSpec {
  std::vector<std::string> cmd;  // REQUIRED: argv; never parsed by a shell
  std::vector<std::string> env;  // "KEY=value", added to the container's
  std::string user;              // Default: the container's user.
  std::string working_dir;       // Default: the container's working directory.
  // An attached exec that runs longer is killed and reported as an error.
  // Default: 60 s.
  std::chrono::milliseconds deadline{60000};
  // Called with each piece of output as it arrives, from the calling thread.
  // The full output is still returned. It may throw to stop reading: Exec
  // then throws (see DockerClient::Exec); the client does not kill the command.
  // Default: none.
  std::function<void(OutputStream, std::string_view)> on_output;
  // How much of each stream the result keeps: the first bytes, up to this
  // many; the rest is dropped (and counted in ExecResult::dropped_bytes), so
  // that a command flooding its output cannot grow the caller's memory
  // without bound. on_output still sees everything. Default: 16 MiB.
  size_t max_output_bytes = size_t{16} << 20;
};

struct ExecResult {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
  // Output beyond ExecSpec::max_output_bytes that was not kept, both streams
  // together; 0 when the texts are complete.
  size_t dropped_bytes = 0;
};

// The state of an exec, for detached ones.
struct ExecInfo {
  bool running = false;
  int exit_code = -1;  // -1 while running
  int pid = 0;         // in the engine host's pid namespace
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_EXEC_SPEC_H_
