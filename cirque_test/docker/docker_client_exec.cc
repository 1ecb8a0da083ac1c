// DockerClient: exec (attached with a deadline, detached, inspect).
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/internal/http_transport.h"
#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/docker/internal/stream_demuxer.h"
#include "cirque_test/docker/internal/upgraded_connection.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::docker {

using internal::HttpRequest;
using internal::Json;

namespace {

using Clock = std::chrono::steady_clock;

// After the output stream ends the engine may report the exec as running for
// a moment longer; how long to poll for the exit code, and how often.
constexpr std::chrono::seconds kExitCodeWait{10};
constexpr std::chrono::milliseconds kExitCodePoll{5};

// True when host process `pid` belongs to the container: its cgroup path
// names the container id. Guards against killing a reused pid.
bool ProcessBelongsToContainer(int pid, const std::string& container_id) {
  std::ifstream cgroup("/proc/" + std::to_string(pid) + "/cgroup");
  std::stringstream text;
  text << cgroup.rdbuf();
  return !container_id.empty() && text.str().find(container_id) != std::string::npos;
}

// The children of host process `pid`, from /proc (all its threads').
std::vector<int> ChildrenOf(int pid) {
  std::vector<int> children;
  std::error_code ignored;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ignored)) {
    std::ifstream list(task.path() / "children");
    for (int child; list >> child;) children.push_back(child);
  }
  return children;
}

// SIGKILLs host process `pid` and every process under it. Each is stopped
// first so that it cannot fork while its children are found, then killed
// after them: killed first, its children would be handed to the
// container's init and could no longer be found. A process that is gone
// meanwhile is skipped.
void KillProcessTree(int pid) {
  if (::kill(pid, SIGSTOP) != 0) {
    if (errno == ESRCH) return;
    throw Error(ErrorCode::kInternal, "kill(" + std::to_string(pid) + ", SIGSTOP) failed: " + std::strerror(errno));
  }
  for (int child : ChildrenOf(pid)) KillProcessTree(child);
  if (::kill(pid, SIGKILL) != 0 && errno != ESRCH) {
    throw Error(ErrorCode::kInternal, "kill(" + std::to_string(pid) + ") failed: " + std::strerror(errno));
  }
}

// The same, on the engine's host, for a helper container in its pid
// namespace: sh, kill and /proc/<pid>/task/*/children from the target's
// image (busybox or coreutils). $1 is the pid.
constexpr const char* kKillTreeScript =
    "kill_tree() { kill -STOP \"$1\" 2>/dev/null || return 0; "
    "for child in $(cat /proc/\"$1\"/task/*/children 2>/dev/null); do kill_tree \"$child\"; done; "
    "kill -KILL \"$1\" 2>/dev/null; return 0; }; kill_tree \"$1\"";

// "; 123 bytes of output beyond the first 16777216 of each stream were
// dropped", or "" when nothing was.
std::string DroppedNote(const ExecResult& result, const ExecSpec& spec) {
  if (result.dropped_bytes == 0) return "";
  return "; " + std::to_string(result.dropped_bytes) + " bytes of output beyond the first " +
         std::to_string(spec.max_output_bytes) + " of each stream were dropped";
}

}  // namespace

std::string DockerClient::CreateExec(const std::string& container_id, const ExecSpec& spec, bool attach_stdin,
                                     bool attach_output) {
  HttpRequest create;
  create.method = "POST";
  create.target = "/containers/" + container_id + "/exec";
  Json body = internal::ExecCreateBody(spec);
  body["AttachStdin"] = attach_stdin;
  body["AttachStdout"] = attach_output;
  body["AttachStderr"] = attach_output;
  create.body = body.dump();
  return internal::ReadBody(Send(create).body, "POST /containers/{id}/exec", internal::ParseCreatedId);
}

ExecResult DockerClient::Exec(const std::string& container_id, const ExecSpec& spec) {
  std::string exec_id = CreateExec(container_id, spec, /*attach_stdin=*/false, /*attach_output=*/true);

  ExecResult result;
  internal::StreamDemuxer demuxer([&](OutputStream stream, std::string_view data) {
    std::string& kept = stream == OutputStream::kStderr ? result.stderr_text : result.stdout_text;
    const size_t room = spec.max_output_bytes - std::min(spec.max_output_bytes, kept.size());
    kept.append(data.substr(0, room));
    result.dropped_bytes += data.size() - std::min(room, data.size());
    if (spec.on_output) spec.on_output(stream, data);
  });
  HttpRequest start;
  start.method = "POST";
  start.target = "/exec/" + exec_id + "/start";
  start.body = Json{{"Detach", false}, {"Tty", false}}.dump();
  start.timeout = spec.deadline;
  start.on_body = [&demuxer](std::string_view data) { demuxer.Feed(data); };
  const auto started = Clock::now();
  try {
    Send(start);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kDeadlineExceeded) throw;
    std::string outcome = "was killed";
    try {
      ExecInfo info = InspectExec(exec_id);
      if (info.running) {
        KillExecProcess(container_id, info.pid);
      } else {
        outcome = "had finished by the time it was checked";
      }
    } catch (const Error& kill_error) {
      // The killer finds no process when the command ended meanwhile.
      outcome = std::string("could not be killed: ") + kill_error.what();
      try {
        if (!InspectExec(exec_id).running) outcome = "had finished by the time it was killed";
      } catch (const Error&) {
        // Keep the kill's error: it says more than a failed inspect.
      }
    }
    throw Error(ErrorCode::kDeadlineExceeded,
                "container '" + container_id.substr(0, 12) + "': '" + JoinArgv(spec.cmd) +
                    "' did not finish within its deadline of " +
                    std::to_string(spec.deadline.count()) + " ms and " + outcome +
                    DroppedNote(result, spec) + "; output so far: " +
                    LastLines(result.stdout_text + result.stderr_text, 5),
                error.request());
  }

  const auto deadline = std::max(started + spec.deadline, Clock::now() + kExitCodeWait);
  for (;;) {
    ExecInfo info;
    try {
      info = InspectExec(exec_id);
    } catch (const Error& error) {
      // The output stream also ends when the engine goes away mid-exec.
      if (error.code() != ErrorCode::kUnavailable) throw;
      throw Error(ErrorCode::kUnavailable,
                  "container '" + container_id.substr(0, 12) + "': '" + JoinArgv(spec.cmd) +
                      "': the engine went away while it ran (its output ended and its state "
                      "cannot be read): " + error.what(),
                  error.request());
    }
    if (!info.running) {
      result.exit_code = info.exit_code;
      return result;
    }
    if (Clock::now() >= deadline) {
      throw Error(ErrorCode::kDeadlineExceeded,
                  "container '" + container_id.substr(0, 12) + "': '" + JoinArgv(spec.cmd) +
                      "' closed its output but the engine still reports it running");
    }
    std::this_thread::sleep_for(kExitCodePoll);
  }
}

std::string DockerClient::ExecDetached(const std::string& container_id, const ExecSpec& spec) {
  std::string exec_id = CreateExec(container_id, spec, /*attach_stdin=*/false, /*attach_output=*/false);
  HttpRequest start;
  start.method = "POST";
  start.target = "/exec/" + exec_id + "/start";
  start.body = Json{{"Detach", true}, {"Tty", false}}.dump();
  Send(start);
  return exec_id;
}

ExecInfo DockerClient::InspectExec(const std::string& exec_id) {
  HttpRequest request;
  request.target = "/exec/" + exec_id + "/json";
  return internal::ReadBody(Send(request).body, "GET /exec/{id}/json",
                            internal::ParseExecInfo);
}

// The API has no call to kill an exec. On a local engine the process is ours
// to signal directly; on a remote one (the VM) a short-lived container in the
// engine host's pid namespace, made from the target's own image, signals it.
// Either way its children go too (a shell's `sleep`, say): they would
// otherwise outlive the deadline in the node.
void DockerClient::KillExecProcess(const std::string& container_id, int host_pid) {
  if (host_pid <= 0) return;  // already gone
  const ContainerInfo target = InspectContainer(container_id);
  if (options_.endpoint.IsLocal() && ProcessBelongsToContainer(host_pid, target.id)) {
    KillProcessTree(host_pid);
    return;
  }
  ContainerSpec killer;
  killer.image = target.image;
  // The owner's labels let its reaper remove the killer should this process
  // die before the RemoveContainer below.
  killer.labels = options_.helper_labels;
  killer.labels["cirque.role"] = "exec-killer";
  killer.process.entrypoint = std::vector<std::string>{"sh", "-c", kKillTreeScript, "kill-tree"};
  killer.process.cmd = {std::to_string(host_pid)};
  killer.security.pid_mode = "host";  // needed to see the engine host's pid
  killer.network.disabled = true;
  std::string id = CreateContainer(killer);
  try {
    StartContainer(id);
    int code = WaitContainer(id, std::chrono::seconds(30));
    RemoveContainer(id, true);
    if (code != 0) {
      throw Error(ErrorCode::kInternal, "killing process " + std::to_string(host_pid) +
                                            " and its children on the engine host exited " +
                                            std::to_string(code));
    }
  } catch (...) {
    try {
      RemoveContainer(id, true);
    } catch (const Error&) {
    }
    throw;
  }
}

}  // namespace cirque::docker

namespace cirque::docker {
namespace {

// An exec start taken over for both directions: Docker's frames demuxed
// into the two output streams.
class UpgradedExecStream : public ExecStream {
 public:
  explicit UpgradedExecStream(std::unique_ptr<internal::UpgradedConnection> connection)
      : connection_(std::move(connection)), demuxer_([this](OutputStream stream, std::string_view data) {
          (stream == OutputStream::kStderr ? *stderr_sink_ : *stdout_sink_).append(data);
        }) {}

  void Write(std::string_view data, Clock::time_point until) override { connection_->Write(data, until); }

  ReadOutcome Read(Clock::time_point until, std::string& stdout_data, std::string& stderr_data) override {
    std::string& bytes = bytes_;  // reused: no allocation per read
    bytes.clear();
    switch (connection_->Read(bytes, until)) {
      case internal::UpgradedConnection::ReadOutcome::kTimedOut:
        return ReadOutcome::kTimedOut;
      case internal::UpgradedConnection::ReadOutcome::kClosed:
        return ReadOutcome::kClosed;
      case internal::UpgradedConnection::ReadOutcome::kData:
        break;
    }
    stdout_sink_ = &stdout_data;
    stderr_sink_ = &stderr_data;
    demuxer_.Feed(bytes);
    return ReadOutcome::kData;
  }

 private:
  std::unique_ptr<internal::UpgradedConnection> connection_;
  std::string bytes_;
  std::string* stdout_sink_ = nullptr;
  std::string* stderr_sink_ = nullptr;
  internal::StreamDemuxer demuxer_;
};

}  // namespace

std::unique_ptr<ExecStream> DockerClient::OpenExecStream(const std::string& container_id, const ExecSpec& spec) {
  std::string exec_id = CreateExec(container_id, spec, /*attach_stdin=*/true, /*attach_output=*/true);
  HttpRequest start;
  start.method = "POST";
  start.target = "/v" + api_version() + "/exec/" + exec_id + "/start";
  start.body = Json{{"Detach", false}, {"Tty", false}}.dump();
  start.timeout = spec.deadline;
  return std::make_unique<UpgradedExecStream>(internal::UpgradedConnection::Open(endpoint(), start));
}

}  // namespace cirque::docker
