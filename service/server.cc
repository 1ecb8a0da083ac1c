#include "service/server.h"

#include <chrono>

#include <httplib.h>

#include "cirque_test/util/error.h"
#include "service/bearer_token.h"
#include "service/cirque_api.h"
#include "service/http_error.h"
#include "service/v1_api.h"

namespace cirque::service {

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void ParseListen(const std::string& listen, ServerOptions& options, const std::string& flag) {
  auto bad = [&listen, &flag](const std::string& why) {
    throw Error(ErrorCode::kInvalidArgument,
                flag + " '" + listen + "': " + why + "; fix: give HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) bad("no port");
  std::string host = listen.substr(0, colon), port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  size_t used = 0;
  int port = -1;
  try {
    port = std::stoi(port_text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (port_text.empty() || used != port_text.size() || port < 0 || port > 65535) bad("port is not 0..65535");
  options.host = host;
  options.port = port;
}

Server::Server(ServerOptions options, HomeRegistry& homes)
    : options_(std::move(options)),
      homes_(homes),
      slots_(options_.exec_slots ? options_.exec_slots : std::make_shared<ExecSlots>(options_.max_execs)),
      http_(std::make_unique<httplib::Server>()) {
  const int threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(options_.max_body_bytes);
  const std::string token = options_.token;
  http_->set_pre_routing_handler([token](const httplib::Request& request, httplib::Response& response) {
    if (token.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (CarriesBearerToken(request.get_header_value("Authorization"), token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    response.status = 401;
    response.set_header("WWW-Authenticate", "Bearer");
    response.set_content(ErrorBodyForStatus(401, "this service needs 'Authorization: Bearer <token>' (the token "
                                                 "in the file given to cirque serve --token-file)"),
                         "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  const size_t max_body = options_.max_body_bytes;
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message = "HTTP " + std::to_string(response.status);
    if (response.status == 404) message = "no route " + request.method + " " + request.path;
    if (response.status == 413) {
      message = "the request body is larger than this service takes (" + std::to_string(max_body) +
                " bytes); fix: send a smaller spec, or start the service with a higher --max-body";
    }
    response.set_content(ErrorBodyForStatus(response.status, message), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  AddCirqueRoutes(*http_, homes_, *slots_);
  AddV1Routes(*http_, homes_, *slots_, {.engine_features = options_.engine_features});
}

Server::~Server() { Stop(); }

void RequireTokenOffLoopback(const ServerOptions& options, const std::string& api, const std::string& credential) {
  if (IsLoopback(options.host) || !options.token.empty()) return;
  throw Error(ErrorCode::kInvalidArgument,
              "refusing to serve " + api + " on " + options.host +
                  " without a token: anyone who reaches it could run commands in nodes; fix: give --token-file "
                  "FILE (clients send " + credential + "), or listen on 127.0.0.1");
}

int Server::Bind() {
  RequireTokenOffLoopback(options_, "HTTP", "header 'Authorization: Bearer <token>'");
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) port = 0;
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = 0;
  }
  if (port == 0) {
    throw Error(ErrorCode::kUnavailable, "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                             " (in use, or not an address of this host)");
  }
  return port;
}

bool Server::Run() {
  {
    std::lock_guard<std::mutex> lock(run_mutex_);
    if (stop_requested_) return true;
    running_ = true;
  }
  bool served = http_->listen_after_bind();
  std::lock_guard<std::mutex> lock(run_mutex_);
  returned_ = true;
  run_ended_.notify_all();
  return served;
}

void Server::Stop() {
  std::unique_lock<std::mutex> lock(run_mutex_);
  stop_requested_ = true;
  if (!running_) return;  // Run returns at once when it comes
  // Run is in, or on its way into, the listening loop, and httplib's stop()
  // does nothing before that loop has begun: ask until Run has returned
  // (bounded, for a loop that hangs in a handler).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!returned_ && std::chrono::steady_clock::now() < deadline) {
    lock.unlock();
    http_->stop();
    lock.lock();
    run_ended_.wait_for(lock, std::chrono::milliseconds(20), [this] { return returned_; });
  }
}

}  // namespace cirque::service
