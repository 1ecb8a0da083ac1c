// An in-process stand-in for the Docker engine, served on a unix socket, for
// unit tests of the client: canned answers per route, recorded requests, and
// answers written in separate pieces to exercise stream reassembly.
//
// Each connection is served on its own thread. Thread safety: all methods may
// be called from the test thread while connections are served.
#ifndef CIRQUE_TEST_DOCKER_TESTING_FAKE_ENGINE_H_
#define CIRQUE_TEST_DOCKER_TESTING_FAKE_ENGINE_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cirque::docker::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // as sent: "/v1.41/containers/json?all=1"
  std::string path;    // without version prefix and query: "/containers/json"
  std::string body;    // de-chunked
  std::map<std::string, std::string> headers;  // lower-case names
};

struct FakeResponse {
  int status = 200;
  std::string content_type = "application/json";
  // Written one write() apart, with a short pause between them, so that the
  // client sees them in separate reads. One piece gets a Content-Length;
  // several are sent until the connection closes, as a hijacked stream is.
  std::vector<std::string> pieces;
};

// Frames `payload` as Docker multiplexes stdout (1) and stderr (2).
std::string Frame(int stream, const std::string& payload);

class FakeEngine {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  // Starts serving at once on a fresh socket under /tmp. Answers GET /version
  // with API 1.41 unless a route for it is added.
  FakeEngine();
  ~FakeEngine();

  // Routes "METHOD path" (path without version prefix and query) to handler.
  // A request with no route gets 404 {"message": "fake: no route ..."}.
  void On(const std::string& method, const std::string& path, Handler handler);
  // Shorthand: always answer `status` with `body`.
  void Reply(const std::string& method, const std::string& path, int status,
             const std::string& body);

  std::string docker_host() const { return "unix://" + socket_path_; }
  std::vector<FakeRequest> requests() const;
  int connections_accepted() const { return connections_accepted_; }

 private:
  void Serve();
  void ServeConnection(int fd);

  std::string socket_path_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  mutable std::mutex mutex_;
  std::map<std::string, Handler> routes_;  // GUARDED_BY(mutex_)
  std::vector<FakeRequest> requests_;      // GUARDED_BY(mutex_)
  std::atomic<int> connections_accepted_{0};
  std::vector<int> open_connections_;       // GUARDED_BY(mutex_)
  std::vector<std::thread> connection_threads_;  // touched by server_ only
  std::thread server_;
};

}  // namespace cirque::docker::testing

#endif  // CIRQUE_TEST_DOCKER_TESTING_FAKE_ENGINE_H_
