// An HTTP connection to the engine taken over for a raw byte stream after
// its answer's headers (Docker "hijacks" exec start and attach): both
// directions stay open until either side closes.
//
// Thread safety: one thread at a time per connection.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_UPGRADED_CONNECTION_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_UPGRADED_CONNECTION_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "cirque_test/docker/endpoint.h"
#include "cirque_test/docker/internal/http_transport.h"

namespace cirque::docker::internal {

class UpgradedConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects to `endpoint`, sends `request` (its target already versioned)
  // asking to upgrade, and reads the answer's headers. Throws Error:
  // kUnavailable when the engine cannot be reached or closes the
  // connection, kDeadlineExceeded past request.timeout, and the engine's
  // status mapped as DockerClient maps it, with its message, when it
  // refuses (404 for an exec that is gone).
  static std::unique_ptr<UpgradedConnection> Open(const DockerEndpoint& endpoint, const HttpRequest& request);
  ~UpgradedConnection();
  UpgradedConnection(const UpgradedConnection&) = delete;
  UpgradedConnection& operator=(const UpgradedConnection&) = delete;

  // Sends all of `data`. Throws Error: kUnavailable when the connection is
  // gone, kDeadlineExceeded when `until` passed first.
  void Write(std::string_view data, Clock::time_point until);

  enum class ReadOutcome { kData, kTimedOut, kClosed };
  // Appends what arrives, waiting at most until `until`: kData when bytes
  // came, kTimedOut when none did, kClosed at the end of the stream.
  ReadOutcome Read(std::string& out, Clock::time_point until);

 private:
  UpgradedConnection() = default;
  bool WaitFor(bool for_reading, Clock::time_point until);

  void* curl_ = nullptr;  // CURL*
  int socket_ = -1;
  std::string early_bytes_;  // stream bytes read along with the headers
  std::string where_;        // "docker engine at ...: POST /exec/.../start"
};

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_UPGRADED_CONNECTION_H_
