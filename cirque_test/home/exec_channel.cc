#include "cirque_test/home/exec_channel.h"

#include "cirque_test/home/program_install.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::home {
namespace {

using Clock = std::chrono::steady_clock;

// How long past a command's deadline the agent has to report the kill.
constexpr std::chrono::seconds kKillReportMargin{10};

std::string ShortId(const std::string& container_id) { return container_id.substr(0, 12); }

// As DockerClient::Exec words it: "; 123 bytes of output beyond the first
// 16777216 of each stream were dropped", or "".
std::string DroppedNote(const docker::ExecResult& result, size_t max_output_bytes) {
  if (result.dropped_bytes == 0) return "";
  return "; " + std::to_string(result.dropped_bytes) + " bytes of output beyond the first " +
         std::to_string(max_output_bytes) + " of each stream were dropped";
}


}  // namespace

std::unique_ptr<ExecChannel> ExecChannel::Open(docker::DockerClient& client, const std::string& container_id,
                                               const std::string& agent_binary, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  // The agent's bytes go down the stream it then serves: one exec, where a
  // copy (an archive PUT, which the engine unpacks in a process of its
  // own) and an exec took twice the engine's time.
  std::unique_ptr<docker::ExecStream> stream = InstallAndRunProgram(
      client, container_id, std::string(kAgentDirectory) + kAgentName, agent_binary, deadline);
  std::string out, err;
  agent::RecordReader reader;
  for (;;) {
    docker::ExecStream::ReadOutcome outcome = stream->Read(until, out, err);
    reader.Feed(out);
    out.clear();
    if (auto record = reader.Next()) {
      if (record->kind == agent::kHello && record->payload == agent::kAgentVersion) break;
      throw Error(ErrorCode::kInternal, "exec agent in '" + ShortId(container_id) + "' greeted with '" +
                                            record->payload + "', not '" + std::string(agent::kAgentVersion) + "'");
    }
    if (outcome == docker::ExecStream::ReadOutcome::kClosed) {
      throw Error(ErrorCode::kFailedPrecondition, "exec agent in '" + ShortId(container_id) +
                                                      "' ended before its hello (a dynamic build, another architecture "
                                                      "than the node's, or no sh, head or wc in its image?): " + LastLines(err, 3));
    }
    if (outcome == docker::ExecStream::ReadOutcome::kTimedOut) {
      throw Error(ErrorCode::kDeadlineExceeded, "exec agent in '" + ShortId(container_id) + "' said nothing within " +
                                                    std::to_string(deadline.count()) + " ms");
    }
  }
  auto channel = std::unique_ptr<ExecChannel>(new ExecChannel(std::move(stream), container_id));
  channel->reader_ = std::move(reader);
  return channel;
}

bool ExecChannel::broken() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return broken_;
}

std::optional<docker::ExecResult> ExecChannel::TryRun(const std::vector<std::string>& argv,
                                                      std::chrono::milliseconds deadline, size_t max_output_bytes) {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || broken_ || argv.empty()) return std::nullopt;
  agent::Command command{static_cast<uint32_t>(std::max<long long>(1, deadline.count())), argv};
  for (const auto& arg : argv) {
    // The agent passes C strings: such an argument goes through docker exec.
    if (arg.find('\0') != std::string::npos) return std::nullopt;
  }
  if (EncodeCommand(command).empty()) return std::nullopt;
  // An agent that ended since the last command (the node stopped or
  // restarted) has closed the stream: then nothing is sent, and docker
  // exec gives the engine's own answer (container not running, ...).
  std::string out, err;
  docker::ExecStream::ReadOutcome outcome;
  try {
    outcome = stream_->Read(Clock::now(), out, err);
  } catch (const Error&) {
    outcome = docker::ExecStream::ReadOutcome::kClosed;
  }
  reader_.Feed(out);
  if (outcome == docker::ExecStream::ReadOutcome::kClosed) {
    broken_ = true;
    return std::nullopt;
  }
  return RunLocked(argv, deadline, max_output_bytes);
}

docker::ExecResult ExecChannel::RunLocked(const std::vector<std::string>& argv, std::chrono::milliseconds deadline,
                                          size_t max_output_bytes) {
  const std::string request = agent::EncodeCommand({static_cast<uint32_t>(std::max<long long>(1, deadline.count())), argv});
  const auto until = Clock::now() + deadline + kKillReportMargin;
  auto fail = [&](ErrorCode code, const std::string& why, const docker::ExecResult& so_far) -> Error {
    broken_ = true;
    return Error(code, "container '" + ShortId(container_id_) + "': '" + JoinArgv(argv) + "': " + why +
                           "; output so far: " + LastLines(so_far.stdout_text + so_far.stderr_text, 5));
  };
  docker::ExecResult result;
  try {
    stream_->Write(request, until);
  } catch (const Error& error) {
    throw fail(error.code(), std::string("sending it to the exec agent failed: ") + error.what(), result);
  }
  auto keep = [&](std::string& kept, std::string_view data) {
    const size_t room = max_output_bytes - std::min(max_output_bytes, kept.size());
    kept.append(data, 0, std::min(room, data.size()));
    result.dropped_bytes += data.size() - std::min(room, data.size());
  };
  // Reused across reads: a flood of output allocates nothing per piece.
  std::string out, err;
  for (;;) {
    char kind = 0;
    std::string_view payload;
    while (reader_.NextView(&kind, &payload)) {
      if (kind == agent::kStdout) keep(result.stdout_text, payload);
      if (kind == agent::kStderr) keep(result.stderr_text, payload);
      if (kind != agent::kExit) continue;
      bool killed = false;
      if (!agent::DecodeExit(payload, &result.exit_code, &killed)) {
        throw fail(ErrorCode::kInternal, "the exec agent's exit record is malformed", result);
      }
      if (killed) {
        // As DockerClient::Exec says it; the channel stays usable.
        throw Error(ErrorCode::kDeadlineExceeded,
                    "container '" + ShortId(container_id_) + "': '" + JoinArgv(argv) +
                        "' did not finish within its deadline of " + std::to_string(deadline.count()) +
                        " ms and was killed" + DroppedNote(result, max_output_bytes) +
                        "; output so far: " + LastLines(result.stdout_text + result.stderr_text, 5));
      }
      return result;
    }
    out.clear();
    err.clear();
    docker::ExecStream::ReadOutcome outcome;
    try {
      outcome = stream_->Read(until, out, err);
    } catch (const Error& error) {
      throw fail(error.code(), std::string("reading the exec agent failed: ") + error.what(), result);
    }
    if (outcome == docker::ExecStream::ReadOutcome::kClosed) {
      throw fail(ErrorCode::kUnavailable,
                 "the exec agent's connection closed before the command's end (the node stopped, or the "
                 "engine went away)" + (err.empty() ? std::string() : ": " + LastLines(err, 3)),
                 result);
    }
    if (outcome == docker::ExecStream::ReadOutcome::kTimedOut) {
      throw fail(ErrorCode::kDeadlineExceeded,
                 "did not finish within its deadline of " + std::to_string(deadline.count()) +
                     " ms, and the exec agent did not report killing it within " +
                     std::to_string(kKillReportMargin.count()) + " s more",
                 result);
    }
    reader_.Feed(out);
  }
}

}  // namespace cirque::home
