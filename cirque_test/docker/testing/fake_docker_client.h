// An in-memory Docker engine behind the DockerClient interface, for unit tests
// of the layers above it (homes, nodes, helper containers, the engine-feature
// probe, the reaper) that must run without a Docker daemon.
//
// What it models, closely enough that code which works against it works
// against a real engine:
//  - Networks: the NetworkSpec as given; names unique; subnets as given, or
//    the next free one of Docker's default pools (172.18.0.0/16 onwards);
//    the gateway defaults to the subnet's first address; a pool that overlaps
//    another network's is refused as the engine refuses it. The engine's
//    predefined networks are there from the start: "bridge" (172.17.0.0/16),
//    "host" and "none".
//  - Containers: the full ContainerSpec; names unique; created -> running ->
//    exited; a fake host pid while running; an endpoint on each network while
//    running (IPv4 from the pool's ip_range when set, else from the subnet,
//    lowest free address first, skipping the gateway; a fixed address when
//    the EndpointSpec asks for one; IPv6 likewise when the network enables
//    IPv6 and has an IPv6 pool; Docker's 02:42 MAC derived from the IPv4
//    address). Nothing runs: a container's main process does what a
//    ContainerScript says.
//  - Exec: every call recorded; answered by handlers the test installs.
//  - Images: references the test adds with AddImage (plus tags and builds).
//  - Files: a small filesystem per container, filled by CopyToContainer and
//    PutFile, read by CopyFromContainer.
// What it does not model: image content (SaveImages and LoadImages throw),
// time (StopContainer does not wait its timeout; Logs ignore `since` and
// `timestamps`), resource limits, ports, volumes.
//
// Errors mirror the real client's. Client-side checks (an empty image, an
// empty exec cmd, a network without a name, ...) throw exactly what
// DockerClient throws, by the same code. Engine errors carry what the engine
// would answer: its HTTP status and wording, the request's method and path,
// and the code ErrorCodeForHttpStatus gives that status:
//  - 404 kNotFound: an unknown container ("No such container: x"), network
//    ("network x not found"), image ("No such image: x:latest"), exec
//    instance, or a path CopyFromContainer cannot find.
//  - 409 kConflict: a container or network name in use; exec in, or kill of,
//    a container that is not running ("Container <id> is not running");
//    removing a running container without force; removing an image in use.
//  - 403, which the client maps to kInternal (Docker answers "forbidden" for
//    these, not "conflict"): a pool that overlaps another network's ("Pool
//    overlaps with other one on this address space", which
//    home/subnet_allocator.cc detects by "overlap" and retries); removing a
//    network while running containers are attached to it ("... has active
//    endpoints"); removing a predefined network; a fixed address in use;
//    connecting a container to a network twice. (Disconnecting a container
//    that is not connected is a 500, also kInternal.)
//  - 400 kInvalidArgument: a container name Docker rejects, a fixed address
//    outside the network's subnets or on a network without a configured
//    subnet, an unknown signal.
// Injected failures (FailCall) throw the Error given, as given.
//
// Call order within each method: the call is counted, the BeforeCall hooks
// run, an injected failure for that call is thrown, the real client's
// client-side checks run, then the engine's behaviour is modelled. A call
// refused (by an injected failure, a check or a modelled engine error) leaves
// the fake as it was, apart from its call count.
//
// Thread safety: every method, the DockerClient ones and the ones below, may
// be called concurrently from any thread. All state is guarded by one mutex.
// Handlers and hooks are called without it held, from the calling thread, so
// they may call back into the fake, and may block.
//
// Note: api_version() is not virtual; on the fake it would try to reach the
// fake socket and throw kUnavailable. Use Version().api_version ("1.41").
#ifndef CIRQUE_TEST_DOCKER_TESTING_FAKE_DOCKER_CLIENT_H_
#define CIRQUE_TEST_DOCKER_TESTING_FAKE_DOCKER_CLIENT_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/util/error.h"

namespace cirque::docker::testing {

// What a container's main process does each time the container starts.
struct ContainerScript {
  // Unset: it runs until the container is stopped or killed ("sleep
  // infinity"). Set: it ends as soon as it starts, with this exit code, so
  // the container is "exited" when StartContainer returns and WaitContainer
  // returns the code at once.
  std::optional<int> exit_code;
  // Written to the container's log at start.
  std::string stdout_text;
  std::string stderr_text;
  // Files the container has from then on: absolute path -> content.
  std::map<std::string, std::string> files;
};

// A container as it was created.
struct CreatedContainer {
  std::string id;
  std::string name;    // as given, or the one the fake picked
  ContainerSpec spec;  // exactly as passed to CreateContainer
};

// One Exec or ExecDetached call, as the fake received it.
struct ExecCall {
  std::string exec_id;
  std::string container_id;  // full id
  std::string container_name;
  std::vector<std::string> argv;  // spec.cmd
  ExecSpec spec;
  bool detached = false;
};

// One CopyToContainer call.
struct CopyCall {
  std::string container_id;
  std::string container_name;
  std::string destination;
  std::string tar;
};

struct FakeDockerOptions {
  // What endpoint() returns. Default: unix:///fake/docker-<n>.sock, n
  // counting the fakes made in this process. Distinct per fake because
  // callers cache per endpoint (home/engine_features.cc caches the probe's
  // verdict): a fresh fake is a fresh engine.
  std::optional<DockerEndpoint> endpoint;
  // What Version() and Info() return. Defaults: Docker 20.10.24, API 1.41,
  // Linux on amd64, kernel "5.10.0-fake".
  std::optional<VersionInfo> version;
  std::optional<SystemInfo> info;
};

class FakeDockerClient : public DockerClient {
 public:
  // Returns a script for the container starting, or nothing to defer to
  // handlers installed before it.
  using StartHandler = std::function<std::optional<ContainerScript>(const CreatedContainer&)>;
  // Returns the exec's result, or nothing to defer to handlers installed
  // before it. May throw (an Error of kDeadlineExceeded, say) or block.
  using ExecHandler = std::function<std::optional<ExecResult>(const ExecCall&)>;
  // Called before every call: the operation is the DockerClient method's
  // name ("CreateContainer"); the target is its first name or id argument as
  // passed (the container for Exec and the copies, the network for
  // ConnectNetwork), the spec's name for CreateContainer and CreateNetwork,
  // the first tag for BuildImage, "repository:tag" for ImportImage, "" for
  // calls without one.
  using CallHook = std::function<void(const std::string& operation, const std::string& target)>;

  FakeDockerClient();
  explicit FakeDockerClient(FakeDockerOptions options);
  ~FakeDockerClient() override;

  // --- Setting the scene ----------------------------------------------------
  // Makes `reference` ("busybox", "cirque/base:1") a known image and returns
  // its id ("sha256:..."). Adding a known reference again replaces its labels
  // and returns the same id.
  std::string AddImage(const std::string& reference, const Labels& labels = {});
  // Decides what containers do when they start; tried newest first. With no
  // handler answering, a container runs until stopped, with an empty log.
  void OnContainerStart(StartHandler handler);
  // Shorthand: containers named `name` follow `script`.
  void ScriptContainer(const std::string& name, ContainerScript script);
  // Answers execs; tried newest first. With no handler answering, an Exec
  // exits 0 with no output, and an ExecDetached keeps running in the
  // background (InspectExec: running) until FinishExec or until its
  // container stops. A handler's answer to an ExecDetached means the process
  // has already finished with that exit code; its output is dropped, as a
  // detached exec's is.
  void OnExec(ExecHandler handler);
  // Shorthand: execs whose argv starts with `argv_prefix` get `result`.
  void AnswerExec(std::vector<std::string> argv_prefix, ExecResult result);
  // Ends a running detached exec with `exit_code`. Throws Error (kNotFound).
  void FinishExec(const std::string& exec_id, int exit_code);
  // Appends to a container's log (split into lines, for LogOptions.tail).
  // Throws Error (kNotFound) for an unknown container.
  void AppendLogs(const std::string& name_or_id, const std::string& stdout_text,
                  const std::string& stderr_text = "");
  // Gives the container a file that CopyFromContainer can return. `path` is
  // absolute. Throws Error (kNotFound) for an unknown container.
  void PutFile(const std::string& name_or_id, const std::string& path,
               const std::string& content, int mode = 0644);

  // --- Injected failures ----------------------------------------------------
  // The `nth` call (counting from 1, as CallCount does, all calls since the
  // fake was made) of `operation` throws `error` instead of doing anything.
  // Throws Error (kInvalidArgument) for an unknown operation or for a call
  // already made.
  void FailCall(const std::string& operation, int nth, Error error);
  // The next call of `operation` throws `error`.
  void FailNextCall(const std::string& operation, Error error);
  // Runs `hook` before every call, after earlier hooks; it may throw (the
  // call then throws that) or block.
  void BeforeCall(CallHook hook);

  // --- Inspection (snapshot copies) -----------------------------------------
  // Calls of `operation` so far, failed ones included. Throws Error
  // (kInvalidArgument) for a name that is no DockerClient method.
  int CallCount(const std::string& operation) const;
  // Every operation called so far -> its count.
  std::map<std::string, int> CallCounts() const;
  // The containers that exist now, oldest first, as InspectContainer gives.
  std::vector<ContainerInfo> LiveContainers() const;
  // The networks that exist now, the predefined ones first, then oldest
  // first, as InspectNetwork gives (with attached running containers).
  std::vector<NetworkInfo> LiveNetworks() const;
  // Every container ever created, removed ones included, oldest first.
  std::vector<CreatedContainer> CreatedContainers() const;
  // The spec container `name_or_id` (removed or not; the newest of that name)
  // was created with. Throws Error (kNotFound).
  ContainerSpec CreatedSpec(const std::string& name_or_id) const;
  // Every Exec and ExecDetached call that reached a running container, in
  // order, and just their argvs.
  std::vector<ExecCall> ExecCalls() const;
  std::vector<std::vector<std::string>> ExecArgvs() const;
  // Every CopyToContainer call that succeeded, in order, and the tars copied
  // to `destination` of container `name_or_id` (matched by id or name).
  std::vector<CopyCall> CopyCalls() const;
  std::vector<std::string> CopiedTars(const std::string& name_or_id,
                                      const std::string& destination) const;

  // --- DockerClient -----------------------------------------------------------
  void Ping() override;
  VersionInfo Version() override;
  SystemInfo Info() override;

  // Import registers repository:tag (labels from "LABEL k=v" changes); Build
  // registers spec.tags with spec.labels and reports "Successfully built"
  // progress. Neither looks inside its tar beyond reading it to the end.
  std::string ImportImage(const ImportSpec& spec) override;
  std::string BuildImage(const BuildSpec& spec) override;
  ImageInfo InspectImage(const std::string& name_or_id) override;
  std::vector<ImageInfo> ListImages(const LabelFilter& labels) override;
  void TagImage(const std::string& name_or_id, const std::string& repository,
                const std::string& tag) override;
  // Both throw Error (kFailedPrecondition): the fake keeps no image content.
  void SaveImages(const std::vector<std::string>& names,
                  const std::function<void(std::string_view)>& sink) override;
  void LoadImages(const TarSource& tar) override;
  void RemoveImage(const std::string& name_or_id, bool force = false) override;

  std::string CreateContainer(const ContainerSpec& spec) override;
  // Starting a running container does nothing, as with the engine.
  void StartContainer(const std::string& id) override;
  // Ends the main process at once: exit code 143 (SIGTERM) when spec.process
  // .init forwards the signal, else 137, as a PID 1 that ignores SIGTERM is
  // killed after the timeout. Stopping a stopped container does nothing.
  void StopContainer(const std::string& id,
                     std::chrono::seconds timeout = std::chrono::seconds(10)) override;
  // Signals that end a process by default end it: exit code 128 + signal.
  // SIGCHLD, SIGCONT, SIGURG, SIGWINCH and SIGSTOP leave it running.
  void KillContainer(const std::string& id, const std::string& signal = "SIGKILL") override;
  // Returns at once for a container that is not running; otherwise blocks
  // until another thread stops, kills or removes it, or the deadline passes.
  int WaitContainer(const std::string& id, std::chrono::milliseconds deadline) override;
  void RemoveContainer(const std::string& id, bool force = true) override;
  ContainerInfo InspectContainer(const std::string& id) override;
  // Newest first, as the engine lists.
  std::vector<ContainerSummary> ListContainers(const LabelFilter& labels) override;
  // `tail` counts lines of the selected streams; a tty container's stderr is
  // in stdout_text, as it is one stream.
  ContainerLogs Logs(const std::string& id, const LogOptions& options = {}) override;
  // Unpacks the tar into the container's files and records the call.
  void CopyToContainer(const std::string& id, const std::string& destination,
                       const std::string& tar) override;
  std::string CopyFromContainer(const std::string& id, const std::string& path) override;

  // The result's output is passed to spec.on_output (stdout, then stderr)
  // before Exec returns. The deadline is not enforced: a handler that wants
  // a timeout throws one.
  ExecResult Exec(const std::string& container_id, const ExecSpec& spec) override;
  std::string ExecDetached(const std::string& container_id, const ExecSpec& spec) override;
  ExecInfo InspectExec(const std::string& exec_id) override;
  // No process stands behind the stream: it is answered as Exec is (the
  // handlers, else exit 0 with no output), what is written to it is
  // dropped, and it reads as that answer's output, then its end. So a
  // node's exec agent never greets on it (the node then runs its commands
  // through Exec), and a script fed through it gets the answer a test gave.
  std::unique_ptr<ExecStream> OpenExecStream(const std::string& container_id, const ExecSpec& spec) override;

  std::string CreateNetwork(const NetworkSpec& spec) override;
  NetworkInfo InspectNetwork(const std::string& name_or_id) override;
  void ConnectNetwork(const std::string& network, const std::string& container_id,
                      const EndpointSpec& endpoint = {}) override;
  void DisconnectNetwork(const std::string& network, const std::string& container_id,
                         bool force = false) override;
  void RemoveNetwork(const std::string& name_or_id) override;
  // As the engine lists: rows without the attached containers.
  std::vector<NetworkInfo> ListNetworks(const LabelFilter& labels) override;

 private:
  struct State;

  // Counts the call, runs the hooks, throws an injected failure.
  void BeginCall(const char* operation, const std::string& target);
  std::optional<ContainerScript> ScriptFor(const CreatedContainer& container);
  std::optional<ExecResult> AnswerFor(const ExecCall& call);
  // Exec's and OpenExecStream's common part: the call counted as
  // `operation`, the spec checked, the exec recorded and answered.
  ExecResult AnswerAttachedExec(const char* operation, const std::string& container_id, const ExecSpec& spec);

  std::unique_ptr<State> state_;
};

}  // namespace cirque::docker::testing

#endif  // CIRQUE_TEST_DOCKER_TESTING_FAKE_DOCKER_CLIENT_H_
