// Where the Docker engine listens: a unix socket or a TCP address.
//
// Thread safety: a value type.
#ifndef CIRQUE_TEST_DOCKER_ENDPOINT_H_
#define CIRQUE_TEST_DOCKER_ENDPOINT_H_

#include <string>
#include <string_view>

namespace cirque::docker {

struct DockerEndpoint {
  enum class Kind { kUnixSocket, kTcp };

  Kind kind = Kind::kUnixSocket;
  std::string socket_path = "/var/run/docker.sock";  // kUnixSocket only
  std::string host;                                  // kTcp only
  int port = 0;                                      // kTcp only

  // "unix:///var/run/docker.sock" or "tcp://127.0.0.1:2375".
  std::string ToString() const;

  // True when the engine runs on this machine (a unix socket), so host paths
  // and processes the test sees are the engine's too.
  bool IsLocal() const { return kind == Kind::kUnixSocket; }

  // Parses a DOCKER_HOST value: "unix:///path" or "tcp://host:port".
  // Throws Error (kInvalidArgument) naming the value and the accepted forms.
  static DockerEndpoint Parse(std::string_view docker_host);

  // DOCKER_HOST when set and non-empty, else the default unix socket.
  static DockerEndpoint FromEnvironment();
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_ENDPOINT_H_
