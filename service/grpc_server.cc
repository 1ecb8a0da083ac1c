#include "service/grpc_server.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "cirque_test/util/error.h"
#include "service/cirque_grpc_service.h"

namespace cirque::service {
namespace {

// How long Stop lets running calls finish before cancelling them.
constexpr std::chrono::seconds kStopGrace{5};

std::string Address(const ServerOptions& options) {
  const bool ipv6 = options.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(options.port);
}

}  // namespace

GrpcServer::GrpcServer(ServerOptions options, HomeRegistry& homes)
    : options_(std::move(options)),
      slots_(options_.exec_slots ? options_.exec_slots : std::make_shared<ExecSlots>(options_.max_execs)),
      service_(std::make_unique<CirqueGrpcService>(homes, *slots_, options_.token)) {}

GrpcServer::~GrpcServer() { Stop(); }

int GrpcServer::Start() {
  RequireTokenOffLoopback(options_, "gRPC", "metadata 'authorization: Bearer <token>'");
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(Address(options_), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_body_bytes));
  grpc::ResourceQuota quota("cirque-grpc");
  quota.SetMaxThreads(options_.threads);
  builder.SetResourceQuota(quota);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    throw Error(ErrorCode::kUnavailable,
                "cannot serve gRPC on " + Address(options_) +
                    " (in use, or not an address of this host); fix: give another with --grpc-listen, or "
                    "--grpc-listen off");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  server_ = std::move(server);
  return port;
}

void GrpcServer::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + kStopGrace);
  server_->Wait();
  server_.reset();
}

}  // namespace cirque::service
