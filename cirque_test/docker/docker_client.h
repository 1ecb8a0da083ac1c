// A typed client for the Docker Engine HTTP API.
//
// Talks to the engine over libcurl, on a unix socket or TCP (DockerEndpoint),
// negotiating the API version on first use: the engine must speak at least
// 1.41; the client then uses the engine's version, up to the newest it knows
// (kNewestKnownApiVersion). Connections are pooled and reused.
//
// Errors: every call throws cirque::Error on failure, and nothing else.
// Engine errors carry the HTTP status, the engine's message and the request
// (method and path); transport failures are kUnavailable and name the
// endpoint. An answer the client cannot read (not JSON, or a field of another
// type than the API documents) is kInternal and names the request, the field
// and what was found. Callback errors: a callback given to a call
// (ExecSpec::on_output, BuildSpec::on_progress, a TarSource, a SaveImages
// sink) may throw; the request is aborted and the call throws a cirque::Error
// as it was thrown, any other exception as Error (kInternal) naming the
// request and carrying the exception's message.
//
// Thread safety: all methods may be called concurrently from several threads.
// Methods are virtual so that layers above can be tested with a fake.
#ifndef CIRQUE_TEST_DOCKER_DOCKER_CLIENT_H_
#define CIRQUE_TEST_DOCKER_DOCKER_CLIENT_H_

#include <chrono>
#include <functional>
#include <string_view>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/docker/container_info.h"
#include "cirque_test/docker/container_spec.h"
#include "cirque_test/docker/endpoint.h"
#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/docker/exec_stream.h"
#include "cirque_test/docker/image_spec.h"
#include "cirque_test/docker/network_spec.h"
#include "cirque_test/docker/system_info.h"

namespace cirque::docker {

namespace internal {
class HttpTransport;
struct HttpRequest;
struct HttpResponse;
}  // namespace internal

inline constexpr const char* kOldestSupportedApiVersion = "1.41";
inline constexpr const char* kNewestKnownApiVersion = "1.45";

// Selects resources by label: key -> value, where an empty value matches any
// resource that has the key.
using LabelFilter = std::map<std::string, std::string>;

struct ClientOptions {
  // Default: DockerEndpoint::FromEnvironment().
  DockerEndpoint endpoint = DockerEndpoint::FromEnvironment();
  // Upper bound on any single request that has no deadline of its own.
  // Default: 120 s.
  std::chrono::milliseconds request_timeout{120000};
  // Labels put on every container the client makes for its own use (today
  // the short-lived "exec-killer" that kills an exec past its deadline on a
  // remote engine), besides its own "cirque.role". Such a container outlives
  // the client when the process dies mid-way; the layers above put their
  // owner labels here so that their reaper finds it with the rest of what
  // they own. "cirque.role" is set by the client and wins over a label of
  // that name here. Default: none.
  Labels helper_labels;
};

class DockerClient {
 public:
  explicit DockerClient(ClientOptions options = {});
  virtual ~DockerClient();
  DockerClient(const DockerClient&) = delete;
  DockerClient& operator=(const DockerClient&) = delete;

  const DockerEndpoint& endpoint() const { return options_.endpoint; }
  // The negotiated API version ("1.41"); negotiates if not done yet.
  std::string api_version();

  // --- System ---------------------------------------------------------------
  virtual void Ping();
  virtual VersionInfo Version();
  virtual SystemInfo Info();

  // --- Images ---------------------------------------------------------------
  // Returns the new image's id.
  virtual std::string ImportImage(const ImportSpec& spec);
  // Returns the built image's id. On a failed build, throws Error whose
  // message holds the build's own error and the last lines of its output.
  virtual std::string BuildImage(const BuildSpec& spec);
  // Throws Error (kNotFound) when there is no such image.
  virtual ImageInfo InspectImage(const std::string& name_or_id);
  virtual std::vector<ImageInfo> ListImages(const LabelFilter& labels);
  virtual void TagImage(const std::string& name_or_id,
                        const std::string& repository, const std::string& tag);
  // Streams a tar of the named images (with their layers, shared ones
  // once) to `sink`, as `docker save` does.
  virtual void SaveImages(const std::vector<std::string>& names,
                          const std::function<void(std::string_view)>& sink);
  // Loads images from a tar made by SaveImages; ids and tags are kept.
  virtual void LoadImages(const TarSource& tar);
  // Removes the tag, and the image when no tag is left.
  virtual void RemoveImage(const std::string& name_or_id, bool force = false);

  // --- Containers -----------------------------------------------------------
  // Returns the new container's id.
  virtual std::string CreateContainer(const ContainerSpec& spec);
  virtual void StartContainer(const std::string& id);
  // Sends SIGTERM, then SIGKILL after `timeout`.
  virtual void StopContainer(const std::string& id,
                             std::chrono::seconds timeout = std::chrono::seconds(10));
  virtual void KillContainer(const std::string& id,
                             const std::string& signal = "SIGKILL");
  // Waits until the container stops; returns its exit code. Throws Error
  // (kDeadlineExceeded) naming the container after `deadline`.
  virtual int WaitContainer(const std::string& id,
                            std::chrono::milliseconds deadline);
  // Removes the container and its anonymous volumes. `force` kills it first.
  virtual void RemoveContainer(const std::string& id, bool force = true);
  virtual ContainerInfo InspectContainer(const std::string& id);
  // All containers, running or not, that match every label.
  virtual std::vector<ContainerSummary> ListContainers(const LabelFilter& labels);
  virtual ContainerLogs Logs(const std::string& id, const LogOptions& options = {});
  // Unpacks `tar` into directory `destination` of the container.
  virtual void CopyToContainer(const std::string& id,
                               const std::string& destination,
                               const std::string& tar);
  // Returns a tar holding `path` (a file or a directory) of the container.
  virtual std::string CopyFromContainer(const std::string& id,
                                        const std::string& path);

  // --- Exec -----------------------------------------------------------------
  // Runs spec.cmd to completion, returning its exit code and output. A
  // non-zero exit is a result, not an error. Past spec.deadline, the process
  // is killed and Error (kDeadlineExceeded) names the command and deadline;
  // on a remote engine the kill takes a helper container labelled with
  // ClientOptions::helper_labels. An exception thrown by spec.on_output ends
  // the call: a cirque::Error as it was, any other as Error (kInternal)
  // carrying its message.
  virtual ExecResult Exec(const std::string& container_id, const ExecSpec& spec);
  // Starts spec.cmd in the background and returns the exec id at once.
  virtual std::string ExecDetached(const std::string& container_id,
                                   const ExecSpec& spec);
  virtual ExecInfo InspectExec(const std::string& exec_id);
  // Starts spec.cmd with its stdin, stdout and stderr held open (see
  // exec_stream.h); spec.deadline bounds the start, not the process, and
  // spec.on_output and max_output_bytes do not apply. Throws Error as Exec
  // does for the start.
  virtual std::unique_ptr<ExecStream> OpenExecStream(const std::string& container_id, const ExecSpec& spec);

  // --- Networks -------------------------------------------------------------
  // Returns the new network's id.
  virtual std::string CreateNetwork(const NetworkSpec& spec);
  virtual NetworkInfo InspectNetwork(const std::string& name_or_id);
  virtual void ConnectNetwork(const std::string& network,
                              const std::string& container_id,
                              const EndpointSpec& endpoint = {});
  virtual void DisconnectNetwork(const std::string& network,
                                 const std::string& container_id,
                                 bool force = false);
  virtual void RemoveNetwork(const std::string& name_or_id);
  virtual std::vector<NetworkInfo> ListNetworks(const LabelFilter& labels);

 protected:
  // Sends a request to the versioned API ("/containers/json" becomes
  // "/v1.41/containers/json"); throws Error for transport failures and for
  // HTTP statuses >= 400.
  internal::HttpResponse Send(internal::HttpRequest request);

 private:
  void NegotiateApiVersion();
  void KillExecProcess(const std::string& container_id, int host_pid);
  // Creates an exec of `spec` in the container, with the attachments
  // given; returns its id.
  std::string CreateExec(const std::string& container_id, const ExecSpec& spec, bool attach_stdin,
                         bool attach_output);

  ClientOptions options_;
  std::unique_ptr<internal::HttpTransport> transport_;
  std::once_flag negotiated_;
  std::string api_version_;  // set once by NegotiateApiVersion
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_DOCKER_CLIENT_H_
