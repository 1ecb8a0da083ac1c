// DockerClient: networks.
#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/internal/http_transport.h"
#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/docker/internal/url.h"

namespace cirque::docker {

using internal::HttpRequest;
using internal::Json;
using internal::WithQuery;

std::string DockerClient::CreateNetwork(const NetworkSpec& spec) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/networks/create";
  request.body = internal::NetworkCreateBody(spec).dump();
  return internal::ReadBody(Send(request).body, "POST /networks/create",
                            internal::ParseCreatedId);
}

NetworkInfo DockerClient::InspectNetwork(const std::string& name_or_id) {
  HttpRequest request;
  request.target = "/networks/" + name_or_id;
  return internal::ReadBody(Send(request).body, "GET /networks/{id}", internal::ParseNetworkInfo);
}

void DockerClient::ConnectNetwork(const std::string& network, const std::string& container_id,
                                  const EndpointSpec& endpoint) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/networks/" + network + "/connect";
  request.body =
      Json{{"Container", container_id}, {"EndpointConfig", internal::EndpointConfig(endpoint)}}
          .dump();
  Send(request);
}

void DockerClient::DisconnectNetwork(const std::string& network, const std::string& container_id,
                                     bool force) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/networks/" + network + "/disconnect";
  request.body = Json{{"Container", container_id}, {"Force", force}}.dump();
  Send(request);
}

void DockerClient::RemoveNetwork(const std::string& name_or_id) {
  HttpRequest request;
  request.method = "DELETE";
  request.target = "/networks/" + name_or_id;
  Send(request);
}

std::vector<NetworkInfo> DockerClient::ListNetworks(const LabelFilter& labels) {
  HttpRequest request;
  request.target = WithQuery("/networks", {{"filters", internal::LabelFilterQuery(labels)}});
  return internal::ReadBody(Send(request).body, "GET /networks", [](const Json& rows) {
    return internal::ReadRows(rows, internal::ParseNetworkInfo);
  });
}

}  // namespace cirque::docker
