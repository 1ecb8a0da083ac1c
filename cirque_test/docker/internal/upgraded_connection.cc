#include "cirque_test/docker/internal/upgraded_connection.h"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cctype>

#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

int MillisUntil(UpgradedConnection::Clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - UpgradedConnection::Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60000));
}

// "HTTP/1.1 101 UPGRADED" -> 101; 0 when the line is not a status line.
int StatusOf(const std::string& head) {
  size_t space = head.find(' ');
  if (head.rfind("HTTP/", 0) != 0 || space == std::string::npos) return 0;
  return std::atoi(head.c_str() + space + 1);
}

}  // namespace

std::unique_ptr<UpgradedConnection> UpgradedConnection::Open(const DockerEndpoint& endpoint,
                                                             const HttpRequest& request) {
  std::unique_ptr<UpgradedConnection> connection(new UpgradedConnection());
  connection->where_ = "docker engine at " + endpoint.ToString() + ": " + request.method + " " + request.target;
  const RequestContext context{request.method, request.target, 0, ""};
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw Error(ErrorCode::kInternal, "curl_easy_init failed");
  connection->curl_ = curl;
  std::string url = endpoint.kind == DockerEndpoint::Kind::kUnixSocket
                        ? "http://localhost/"
                        : "http://" + endpoint.host + ":" + std::to_string(endpoint.port) + "/";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (endpoint.kind == DockerEndpoint::Kind::kUnixSocket) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint.socket_path.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  CURLcode code = curl_easy_perform(curl);
  curl_socket_t socket = CURL_SOCKET_BAD;
  if (code == CURLE_OK) code = curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket);
  if (code != CURLE_OK || socket == CURL_SOCKET_BAD) {
    throw Error(ErrorCode::kUnavailable,
                "docker engine at " + endpoint.ToString() + " unreachable (" + request.method + " " +
                    request.target + "): " + curl_easy_strerror(code) + "; is it running? run tools/setup to start it",
                context);
  }
  connection->socket_ = static_cast<int>(socket);

  const auto until = Clock::now() + request.timeout;
  connection->Write("" + request.method + " " + request.target +
                        " HTTP/1.1\r\nHost: docker\r\nContent-Type: " + request.content_type +
                        "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: " +
                        std::to_string(request.body.size()) + "\r\n\r\n" + request.body,
                    until);
  std::string head;
  size_t end = std::string::npos;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    ReadOutcome outcome = connection->Read(head, until);
    if (outcome == ReadOutcome::kTimedOut) {
      throw Error(ErrorCode::kDeadlineExceeded,
                  connection->where_ + ": no answer within " + std::to_string(request.timeout.count()) + " ms",
                  context);
    }
    if (outcome == ReadOutcome::kClosed) {
      throw Error(ErrorCode::kUnavailable,
                  connection->where_ + ": the engine closed the connection before answering; did it stop?", context);
    }
  }
  connection->early_bytes_ = head.substr(end + 4);
  head.resize(end);
  const int status = StatusOf(head);
  if (status != 101 && status != 200) {
    // An error answer: its body (JSON with a message) may follow; what came
    // with the headers is enough to name it.
    std::string message = EngineMessage(connection->early_bytes_);
    throw Error(status >= 400 ? ErrorCodeForHttpStatus(status) : ErrorCode::kInternal,
                "docker: " + request.method + " " + request.target + ": " + std::to_string(status) + ": " +
                    (message.empty() ? head.substr(0, head.find('\r')) : message),
                RequestContext{request.method, request.target, status, message});
  }
  return connection;
}

UpgradedConnection::~UpgradedConnection() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

bool UpgradedConnection::WaitFor(bool for_reading, Clock::time_point until) {
  for (;;) {
    pollfd watched{socket_, static_cast<short>(for_reading ? POLLIN : POLLOUT), 0};
    int ready = poll(&watched, 1, MillisUntil(until));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // the send or receive that follows reports it
  }
}

void UpgradedConnection::Write(std::string_view data, Clock::time_point until) {
  CURL* curl = static_cast<CURL*>(curl_);
  while (!data.empty()) {
    size_t sent = 0;
    CURLcode code = curl_easy_send(curl, data.data(), data.size(), &sent);
    if (code == CURLE_AGAIN) {
      if (!WaitFor(false, until)) {
        throw Error(ErrorCode::kDeadlineExceeded, where_ + ": the engine took no more input before the deadline");
      }
      continue;
    }
    if (code != CURLE_OK) {
      throw Error(ErrorCode::kUnavailable,
                  where_ + ": sending failed: " + curl_easy_strerror(code) + "; did the engine stop or restart?");
    }
    data.remove_prefix(sent);
  }
}

UpgradedConnection::ReadOutcome UpgradedConnection::Read(std::string& out, Clock::time_point until) {
  if (!early_bytes_.empty()) {
    out += early_bytes_;
    early_bytes_.clear();
    return ReadOutcome::kData;
  }
  CURL* curl = static_cast<CURL*>(curl_);
  char buffer[65536];
  for (;;) {
    size_t received = 0;
    CURLcode code = curl_easy_recv(curl, buffer, sizeof buffer, &received);
    if (code == CURLE_OK) {
      if (received == 0) return ReadOutcome::kClosed;
      out.append(buffer, received);
      return ReadOutcome::kData;
    }
    if (code != CURLE_AGAIN) return ReadOutcome::kClosed;
    if (!WaitFor(true, until)) return ReadOutcome::kTimedOut;
  }
}

}  // namespace cirque::docker::internal
