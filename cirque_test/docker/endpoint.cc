#include "cirque_test/docker/endpoint.h"

#include <cstdlib>

#include "cirque_test/util/error.h"

namespace cirque::docker {
namespace {

[[noreturn]] void ThrowBadHost(std::string_view docker_host, const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument,
              "DOCKER_HOST='" + std::string(docker_host) + "': " + why +
                  "; use unix:///path/to/docker.sock or tcp://host:port");
}

}  // namespace

std::string DockerEndpoint::ToString() const {
  if (kind == Kind::kUnixSocket) return "unix://" + socket_path;
  return "tcp://" + host + ":" + std::to_string(port);
}

DockerEndpoint DockerEndpoint::Parse(std::string_view docker_host) {
  DockerEndpoint endpoint;
  if (docker_host.rfind("unix://", 0) == 0) {
    endpoint.kind = Kind::kUnixSocket;
    endpoint.socket_path = std::string(docker_host.substr(7));
    if (endpoint.socket_path.empty() || endpoint.socket_path[0] != '/') {
      ThrowBadHost(docker_host, "the socket path must be absolute");
    }
    return endpoint;
  }
  if (docker_host.rfind("tcp://", 0) == 0) {
    std::string_view rest = docker_host.substr(6);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      ThrowBadHost(docker_host, "a tcp address needs host:port");
    }
    endpoint.kind = Kind::kTcp;
    endpoint.host = std::string(rest.substr(0, colon));
    std::string port_text(rest.substr(colon + 1));
    char* end = nullptr;
    long port = std::strtol(port_text.c_str(), &end, 10);
    if (port_text.empty() || *end != '\0' || port <= 0 || port > 65535) {
      ThrowBadHost(docker_host, "port '" + port_text + "' is not 1..65535");
    }
    endpoint.port = static_cast<int>(port);
    return endpoint;
  }
  ThrowBadHost(docker_host, "unsupported scheme");
}

DockerEndpoint DockerEndpoint::FromEnvironment() {
  const char* docker_host = std::getenv("DOCKER_HOST");
  if (docker_host == nullptr || *docker_host == '\0') return DockerEndpoint{};
  return Parse(docker_host);
}

}  // namespace cirque::docker
