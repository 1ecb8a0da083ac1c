// For the gRPC service's unit tests: the homes of ServiceOnFake (a toy
// access point "WiFi" and "Interactive" on a FakeDockerClient, REST beside)
// served over gRPC on a free loopback port, with a client stub.
//
// Thread, TrafficControl and Mount are registered with the real parsers of
// their settings (so a spec is checked as the built-in capabilities check
// it) but toy behaviour (so nothing needs an engine feature). Each records
// nothing beyond the spec: tests read the parsed spec off the node.
#ifndef CIRQUE_SERVICE_GRPC_ON_FAKE_H_
#define CIRQUE_SERVICE_GRPC_ON_FAKE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "service/grpc_server.h"
#include "service/proto/service.grpc.pb.h"
#include "service/service_on_fake.h"

namespace cirque::service::testing {

class GrpcOnFake {
 public:
  // `token`: the service's bearer token; "" for none.
  explicit GrpcOnFake(const std::string& token = "");
  ~GrpcOnFake();

  proto::CirqueService::Stub& stub() { return *stub_; }
  HomeRegistry& homes() { return service_.homes(); }
  docker::testing::FakeDockerClient& fake() { return service_.fake(); }

  // A context for one call: a deadline, and `token` as a bearer token
  // unless it is "".
  std::unique_ptr<grpc::ClientContext> Call(const std::string& token = "",
                                            std::chrono::seconds deadline = std::chrono::seconds(10));

 private:
  ServiceOnFake service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<proto::CirqueService::Stub> stub_;
};

}  // namespace cirque::service::testing

#endif  // CIRQUE_SERVICE_GRPC_ON_FAKE_H_
