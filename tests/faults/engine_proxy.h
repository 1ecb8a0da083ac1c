// A test-only stand-in for the Docker engine's socket, so that a test can make
// "the engine" die at a chosen moment without touching the real dockerd
// (which other tests share). It listens on a unix socket of its own and
// forwards each connection, byte for byte, to the real engine (its unix
// socket, or its TCP address such as the test VM's).
//
//   EngineProxy proxy;
//   proxy.OnAnswer({"POST /v[0-9.]+/containers/create"}, [&](const Answer&) {
//     proxy.Kill();                 // the engine dies: every connection closed
//     return Verdict::kDrop;        // and this answer never arrives
//   });
//   ... DOCKER_HOST=proxy.docker_host() ...
//   proxy.Restart();     // the engine is back
//
// A trigger fires when the engine begins to answer the nth request whose
// request line ("POST /v1.45/containers/create HTTP/1.1") matches `request`,
// counted only after bytes matching `after` went through (when given; a
// request's body counts, so `"ping"` opens the window at the exec of ping).
// The action runs on the proxy's thread for that connection while the
// answer is held back; its verdict says what becomes of the answer.
// So "the engine did it and the client never heard" is one trigger away.
//
// Thread safety: every method may be called from any thread, actions
// included (an action may call Kill). Not for production: a test helper.
#ifndef CIRQUE_TESTS_FAULTS_ENGINE_PROXY_H_
#define CIRQUE_TESTS_FAULTS_ENGINE_PROXY_H_

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cirque_test/docker/endpoint.h"

namespace cirque::faults {

class EngineProxy {
 public:
  struct Answer {
    std::string request_line;  // "POST /v1.45/containers/create"
    pid_t client_pid = 0;      // the process on the other end (SO_PEERCRED)
  };
  struct Trigger {
    std::string request;  // regex on the request line
    int nth = 1;          // the nth match fires
    std::string after;    // regex on a request (line and body); "" = none
  };
  enum class Verdict {
    kDeliver,          // the answer goes on as if nothing happened
    kDrop,             // the connection closes before the answer
    kDeliverThenKill,  // its first bytes arrive, then the engine dies (Kill)
  };
  using Action = std::function<Verdict(const Answer&)>;

  // Listens at once on a fresh socket in a temporary directory. Throws
  // cirque::Error when it cannot.
  // Forwards to `upstream`: by default the engine DOCKER_HOST names.
  explicit EngineProxy(docker::DockerEndpoint upstream = docker::DockerEndpoint::FromEnvironment());
  // Stops listening, closes every connection, removes its directory.
  ~EngineProxy();
  EngineProxy(const EngineProxy&) = delete;
  EngineProxy& operator=(const EngineProxy&) = delete;

  // "unix:///tmp/cirque-proxy.XXXXXX/engine.sock".
  std::string docker_host() const { return "unix://" + socket_path_; }

  // Adds a trigger; each fires once.
  void OnAnswer(Trigger trigger, Action action);
  // The engine dies: the socket is removed (new connections are refused)
  // and every open connection is closed. Idempotent.
  void Kill();
  // The engine is back: listens again on the same path.
  void Restart();
  // Request lines seen so far, in order ("POST /v1.45/networks/create").
  std::vector<std::string> Requests() const;
  // How many triggers have fired.
  int fired() const { return fired_; }

 private:
  struct Connection;
  struct Rule {
    Trigger trigger;
    std::regex request;
    std::regex after;
    Action action;
    bool after_seen = false;
    int matches = 0;
    bool fired = false;
  };
  void Listen();
  void AcceptLoop(int listen_fd);
  void Serve(std::shared_ptr<Connection> connection);
  // Counts a request line against the rules whose window is open; returns
  // the rule it makes fire, or null.
  Rule* Match(const std::string& request_line);
  // Opens the window of every rule whose `after` matches these bytes that
  // the client sent (a request line, headers or body).
  void OpenWindows(const std::string& bytes);

  const docker::DockerEndpoint upstream_;
  std::string directory_;
  std::string socket_path_;

  mutable std::mutex mutex_;
  int listen_fd_ = -1;                                   // GUARDED_BY(mutex_)
  std::vector<std::shared_ptr<Connection>> connections_;  // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;                     // GUARDED_BY(mutex_)
  std::vector<std::unique_ptr<Rule>> rules_;             // GUARDED_BY(mutex_)
  std::vector<std::string> requests_;                    // GUARDED_BY(mutex_)
  std::atomic<int> fired_{0};
};

}  // namespace cirque::faults

#endif  // CIRQUE_TESTS_FAULTS_ENGINE_PROXY_H_
