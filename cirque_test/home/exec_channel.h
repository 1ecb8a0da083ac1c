// A node's commands run by the exec agent (cirque_test/agent) over one
// exec held open for the node's life, instead of one docker exec each: on
// an emulated engine a docker exec costs about 0.25 s, a command through
// the agent about 0.03 s. The results are those docker exec gives: the
// same exit codes, output kept apart, the same deadline errors.
//
// Ownership: the node owns its channel; the agent goes with the container.
// Thread safety: TryRun may be called from several threads; one command
// runs at a time, and a call that finds the channel busy returns nullopt
// at once, so that its caller runs the command through docker exec
// beside it (commands of one node may overlap, as with docker exec).
#ifndef CIRQUE_TEST_HOME_EXEC_CHANNEL_H_
#define CIRQUE_TEST_HOME_EXEC_CHANNEL_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cirque_test/agent/exec_agent_protocol.h"
#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

class ExecChannel {
 public:
  // Where the agent is copied in every node.
  static constexpr const char* kAgentDirectory = "/";
  static constexpr const char* kAgentName = ".cirque_exec_agent";

  // Writes `agent_binary` into the container and starts it, both over one
  // exec stream (program_install.h), and waits for its hello, all within
  // `deadline`. Throws Error naming what failed (the caller then runs
  // commands through docker exec): the exec refused, the copy failing (no
  // sh, head or wc in the node's image, a user who may not write /), the
  // agent not starting (a dynamic build, another architecture), no hello
  // in time.
  static std::unique_ptr<ExecChannel> Open(docker::DockerClient& client, const std::string& container_id,
                                           const std::string& agent_binary, std::chrono::milliseconds deadline);

  // Runs argv in the node with a deadline, as DockerClient::Exec does
  // (output beyond `max_output_bytes` per stream dropped and counted).
  // nullopt when nothing was sent: the channel is busy with another
  // command or broken. Once the command was sent, throws Error:
  // kDeadlineExceeded when it outlived its deadline (the agent killed it),
  // kUnavailable when the connection broke before its answer (the command
  // may have run); the channel is then broken for good.
  std::optional<docker::ExecResult> TryRun(const std::vector<std::string>& argv, std::chrono::milliseconds deadline,
                                           size_t max_output_bytes = size_t{16} << 20);

  bool broken() const;

 private:
  ExecChannel(std::unique_ptr<docker::ExecStream> stream, std::string container_id)
      : stream_(std::move(stream)), container_id_(std::move(container_id)) {}
  docker::ExecResult RunLocked(const std::vector<std::string>& argv, std::chrono::milliseconds deadline,
                               size_t max_output_bytes);

  mutable std::mutex mutex_;  // held for a whole command
  std::unique_ptr<docker::ExecStream> stream_;  // GUARDED_BY(mutex_)
  const std::string container_id_;
  bool broken_ = false;  // GUARDED_BY(mutex_)
  agent::RecordReader reader_;  // GUARDED_BY(mutex_); the agent's records
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_EXEC_CHANNEL_H_
