// The cirque service's gRPC server: Cirque's gRPC API
// (cirque_grpc_service.h) on one address, with the REST server's rules
// (server.h):
//   - a non-loopback address needs a bearer token, checked on every call
//     (UNAUTHENTICATED without it);
//   - requests above max_body_bytes are refused (RESOURCE_EXHAUSTED);
//   - at most max_execs commands run in nodes at once (UNAVAILABLE beyond),
//     counted apart from the REST server's;
//   - at most `threads` threads serve calls.
//
// Errors: Start throws Error (kInvalidArgument) for a non-loopback address
// without a token, (kUnavailable) when the address cannot be bound.
// Thread safety: Stop may be called from any thread; the calls run on
// gRPC's own threads from Start to Stop.
#ifndef CIRQUE_SERVICE_GRPC_SERVER_H_
#define CIRQUE_SERVICE_GRPC_SERVER_H_

#include <memory>
#include <mutex>

#include "service/exec_slots.h"
#include "service/home_registry.h"
#include "service/server.h"

namespace grpc {
class Server;
}

namespace cirque::service {

class CirqueGrpcService;

class GrpcServer {
 public:
  // `homes` outlives the server. options.port 0: any free port.
  GrpcServer(ServerOptions options, HomeRegistry& homes);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Binds and starts serving; returns the port (the one chosen for 0).
  int Start();
  // Stops taking calls; calls still running after a short grace are
  // cancelled. Idempotent.
  void Stop();

 private:
  const ServerOptions options_;
  std::shared_ptr<ExecSlots> slots_;
  std::unique_ptr<CirqueGrpcService> service_;
  std::mutex mutex_;
  std::unique_ptr<grpc::Server> server_;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_GRPC_SERVER_H_
