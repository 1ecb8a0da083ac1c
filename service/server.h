// The cirque service's HTTP server: Cirque's REST API (cirque_api.h) and
// cirque's own /v1 API (v1_api.h) on one address, with the service's limits:
//   - it binds 127.0.0.1 unless told otherwise; any other address needs a
//     bearer token, checked on every request (401 without it);
//   - request bodies above max_body_bytes are refused (413);
//   - at most max_execs commands run in nodes at once (503 beyond).
//
// Errors: Bind throws Error (kInvalidArgument) for a bad address or a
// non-loopback one without a token, (kUnavailable) when the port cannot be
// bound. Thread safety: Stop may be called from any thread (a signal
// handler's thread) while Run blocks in another.
#ifndef CIRQUE_SERVICE_SERVER_H_
#define CIRQUE_SERVICE_SERVER_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "service/exec_slots.h"
#include "service/home_registry.h"

namespace httplib {
class Server;
}

namespace cirque::service {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5000;          // 0: any free port (Bind returns it)
  std::string token;        // required unless host is a loopback address
  size_t max_body_bytes = 1 << 20;
  int max_execs = 32;
  int threads = 16;         // requests served at once
  // For /v1/engine/features (v1_api.h); absent: that route answers 404.
  std::function<nlohmann::json()> engine_features;
  // The cap on commands at once, shared by the servers given the same one
  // (REST and gRPC together stay within max_execs); absent: a server makes
  // its own of max_execs.
  std::shared_ptr<ExecSlots> exec_slots;
};

// "127.0.0.1:5000" or ":5000" or "[::1]:5000" into host and port. Throws
// Error (kInvalidArgument) naming `flag` and the value.
void ParseListen(const std::string& listen, ServerOptions& options, const std::string& flag = "--listen");
bool IsLoopback(const std::string& host);
// The service's rule for every API it serves: a non-loopback address needs
// a token. Throws Error (kInvalidArgument) naming `api`, the host, the fix
// and the `credential` clients send.
void RequireTokenOffLoopback(const ServerOptions& options, const std::string& api, const std::string& credential);

class Server {
 public:
  // `homes` outlives the server.
  Server(ServerOptions options, HomeRegistry& homes);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address; returns the port (the one chosen when port was 0).
  int Bind();
  // Serves until Stop. Returns false when the server failed; at once when
  // Stop came first.
  bool Run();
  // Stops Run, whether it is serving, about to, or not started (a signal
  // right after start-up must not be lost).
  void Stop();

 private:
  ServerOptions options_;
  HomeRegistry& homes_;
  std::shared_ptr<ExecSlots> slots_;
  std::unique_ptr<httplib::Server> http_;
  std::mutex run_mutex_;
  std::condition_variable run_ended_;
  bool stop_requested_ = false;  // GUARDED_BY(run_mutex_)
  bool running_ = false;         // GUARDED_BY(run_mutex_): Run is serving or about to
  bool returned_ = false;        // GUARDED_BY(run_mutex_): Run has returned
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_SERVER_H_
