// DockerClient: container lifecycle, inspection, logs and archives.
#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/internal/http_transport.h"
#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/docker/internal/stream_demuxer.h"
#include "cirque_test/docker/internal/url.h"
#include "cirque_test/util/error.h"

namespace cirque::docker {

using internal::HttpRequest;
using internal::Json;
using internal::WithQuery;

std::string DockerClient::CreateContainer(const ContainerSpec& spec) {
  HttpRequest request;
  request.method = "POST";
  request.target = spec.name.empty() ? "/containers/create"
                                     : WithQuery("/containers/create", {{"name", spec.name}});
  request.body = internal::ContainerCreateBody(spec).dump();
  return internal::ReadBody(Send(request).body, "POST /containers/create",
                            internal::ParseCreatedId);
}

void DockerClient::StartContainer(const std::string& id) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/containers/" + id + "/start";
  Send(request);
}

void DockerClient::StopContainer(const std::string& id, std::chrono::seconds timeout) {
  HttpRequest request;
  request.method = "POST";
  request.target = WithQuery("/containers/" + id + "/stop", {{"t", std::to_string(timeout.count())}});
  // The engine waits `timeout` before it kills; leave room for that.
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) +
                    std::chrono::seconds(30);
  Send(request);
}

void DockerClient::KillContainer(const std::string& id, const std::string& signal) {
  HttpRequest request;
  request.method = "POST";
  request.target = WithQuery("/containers/" + id + "/kill", {{"signal", signal}});
  Send(request);
}

int DockerClient::WaitContainer(const std::string& id, std::chrono::milliseconds deadline) {
  HttpRequest request;
  request.method = "POST";
  request.target = WithQuery("/containers/" + id + "/wait", {{"condition", "not-running"}});
  request.timeout = deadline;
  try {
    return internal::ReadBody(Send(request).body, "POST /containers/{id}/wait",
                              [](const Json& result) {
                                return internal::ValueOr<int>(result, "StatusCode", -1);
                              });
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kDeadlineExceeded) throw;
    throw Error(ErrorCode::kDeadlineExceeded,
                "container '" + id + "' still running after " +
                    std::to_string(deadline.count()) + " ms of waiting for it to stop",
                error.request());
  }
}

void DockerClient::RemoveContainer(const std::string& id, bool force) {
  HttpRequest request;
  request.method = "DELETE";
  request.target = WithQuery("/containers/" + id, {{"force", force ? "1" : "0"}, {"v", "1"}});
  Send(request);
}

ContainerInfo DockerClient::InspectContainer(const std::string& id) {
  HttpRequest request;
  request.target = "/containers/" + id + "/json";
  return internal::ReadBody(Send(request).body, "GET /containers/{id}/json",
                            internal::ParseContainerInfo);
}

std::vector<ContainerSummary> DockerClient::ListContainers(const LabelFilter& labels) {
  HttpRequest request;
  request.target = WithQuery("/containers/json",
                             {{"all", "1"}, {"filters", internal::LabelFilterQuery(labels)}});
  return internal::ReadBody(Send(request).body, "GET /containers/json", [](const Json& rows) {
    return internal::ReadRows(rows, internal::ParseContainerSummary);
  });
}

ContainerLogs DockerClient::Logs(const std::string& id, const LogOptions& options) {
  // A tty container's log is one raw stream; otherwise it is multiplexed.
  bool tty = InspectContainer(id).tty;
  std::vector<std::pair<std::string, std::string>> query = {
      {"stdout", options.stdout ? "1" : "0"},
      {"stderr", options.stderr ? "1" : "0"},
      {"tail", options.tail < 0 ? "all" : std::to_string(options.tail)},
      {"timestamps", options.timestamps ? "1" : "0"}};
  if (options.since > 0) query.emplace_back("since", std::to_string(options.since));
  ContainerLogs logs;
  internal::StreamDemuxer demuxer([&logs](OutputStream stream, std::string_view data) {
    (stream == OutputStream::kStderr ? logs.stderr_text : logs.stdout_text).append(data);
  });
  HttpRequest request;
  request.target = WithQuery("/containers/" + id + "/logs", query);
  request.on_body = [&](std::string_view data) {
    if (tty) {
      logs.stdout_text.append(data);
    } else {
      demuxer.Feed(data);
    }
  };
  Send(request);
  return logs;
}

void DockerClient::CopyToContainer(const std::string& id, const std::string& destination,
                                   const std::string& tar) {
  HttpRequest request;
  request.method = "PUT";
  request.target = WithQuery("/containers/" + id + "/archive", {{"path", destination}});
  request.content_type = "application/x-tar";
  request.body = tar;
  Send(request);
}

std::string DockerClient::CopyFromContainer(const std::string& id, const std::string& path) {
  HttpRequest request;
  request.target = WithQuery("/containers/" + id + "/archive", {{"path", path}});
  return Send(request).body;
}

}  // namespace cirque::docker
