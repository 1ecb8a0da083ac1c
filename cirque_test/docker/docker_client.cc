// DockerClient: construction, API version negotiation, request plumbing and
// the system calls. The other groups of calls live in docker_client_*.cc.
#include "cirque_test/docker/docker_client.h"

#include <cstdio>

#include "cirque_test/docker/internal/http_transport.h"
#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/util/error.h"

namespace cirque::docker {

using internal::HttpRequest;
using internal::HttpResponse;
using internal::Json;

namespace {

// "1.41" -> {1, 41}; an unparsable version compares as {0, 0}.
std::pair<int, int> ParseApiVersion(const std::string& text) {
  int major = 0, minor = 0;
  if (std::sscanf(text.c_str(), "%d.%d", &major, &minor) != 2) return {0, 0};
  return {major, minor};
}

}  // namespace

DockerClient::DockerClient(ClientOptions options)
    : options_(std::move(options)),
      transport_(std::make_unique<internal::HttpTransport>(options_.endpoint)) {}

DockerClient::~DockerClient() = default;

std::string DockerClient::api_version() {
  std::call_once(negotiated_, [this] { NegotiateApiVersion(); });
  return api_version_;
}

void DockerClient::NegotiateApiVersion() {
  HttpRequest request;
  request.target = "/version";
  request.timeout = std::chrono::milliseconds(10000);
  HttpResponse response = transport_->Send(request);
  if (response.status != 200) {
    throw Error(ErrorCodeForHttpStatus(response.status),
                "docker: GET /version: " + std::to_string(response.status) + ": " +
                    internal::EngineMessage(response.body),
                RequestContext{"GET", "/version", response.status,
                               internal::EngineMessage(response.body)});
  }
  VersionInfo version =
      internal::ReadBody(response.body, "GET /version", internal::ParseVersionInfo);
  auto engine = ParseApiVersion(version.api_version);
  if (engine < ParseApiVersion(kOldestSupportedApiVersion)) {
    throw Error(ErrorCode::kFailedPrecondition,
                "docker engine at " + options_.endpoint.ToString() + " speaks API " +
                    (version.api_version.empty() ? "(unknown)" : version.api_version) +
                    "; cirque needs at least " + kOldestSupportedApiVersion +
                    " (Docker 20.10); upgrade the engine");
  }
  api_version_ = engine > ParseApiVersion(kNewestKnownApiVersion)
                     ? kNewestKnownApiVersion
                     : version.api_version;
}

HttpResponse DockerClient::Send(HttpRequest request) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  request.target = "/v" + api_version() + request.target;
  if (request.timeout.count() <= 0) request.timeout = options_.request_timeout;
  HttpResponse response = transport_->Send(request);
  if (response.status >= 400) {
    std::string message = internal::EngineMessage(response.body);
    throw Error(ErrorCodeForHttpStatus(response.status),
                "docker: " + request.method + " " + path + ": " +
                    std::to_string(response.status) + ": " + message,
                RequestContext{request.method, path, response.status, message});
  }
  return response;
}

void DockerClient::Ping() {
  HttpRequest request;
  request.target = "/_ping";
  request.timeout = std::chrono::milliseconds(10000);
  Send(request);
}

VersionInfo DockerClient::Version() {
  HttpRequest request;
  request.target = "/version";
  return internal::ReadBody(Send(request).body, "GET /version", internal::ParseVersionInfo);
}

SystemInfo DockerClient::Info() {
  HttpRequest request;
  request.target = "/info";
  return internal::ReadBody(Send(request).body, "GET /info", internal::ParseSystemInfo);
}

}  // namespace cirque::docker
