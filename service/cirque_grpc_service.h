// Cirque's gRPC API (proto/service.proto) on a HomeRegistry: the same
// homes, devices and checks as the REST API (cirque_api.h), for clients of
// Cirque's gRPC service.
//
//   CreateCirqueHome      a home, empty (Cirque) or with named devices
//   CreateCirqueDevice    a device added to a running home
//   ExecuteDeviceCommand  a command's output and exit code; non-zero is a
//                         reply, not an error
//   ListCirqueHomes / ListCirqueHomeDevices / QueryCirqueDevice
//   StopCirqueDevice / StopCirqueHome / GetCirqueDeviceLog
//
// A device is named by its container id (Cirque's device id), a
// 12-character prefix of it, or its name. Every call is refused with
// UNAUTHENTICATED when the service has a token and the call's metadata
// lacks "authorization: Bearer <token>"; with INVALID_ARGUMENT when the
// request carries a field this proto lacks (unknown_fields.h). Errors map
// as grpc_status.h says.
//
// Thread safety: gRPC runs the calls on its threads at once; the registry
// and the exec slots are thread-safe. `homes` and `slots` outlive this.
#ifndef CIRQUE_SERVICE_CIRQUE_GRPC_SERVICE_H_
#define CIRQUE_SERVICE_CIRQUE_GRPC_SERVICE_H_

#include <google/protobuf/message.h>

#include <atomic>
#include <functional>
#include <string>

#include "cirque_test/home/node.h"
#include "service/exec_slots.h"
#include "service/home_registry.h"
#include "service/proto/service.grpc.pb.h"

namespace cirque::service {

// Cirque's CirqueDevice for a node: its spec, id, name and description.
proto::CirqueDevice CirqueDeviceOf(home::Node& node);

class CirqueGrpcService final : public proto::CirqueService::Service {
 public:
  // `token`: "" for none (a loopback service); the server decides that.
  CirqueGrpcService(HomeRegistry& homes, ExecSlots& slots, std::string token);

  grpc::Status CreateCirqueHome(grpc::ServerContext* context, const proto::CreateCirqueHomeRequest* request,
                                proto::CreateCirqueHomeResponse* response) override;
  grpc::Status CreateCirqueDevice(grpc::ServerContext* context, const proto::CreateCirqueDeviceRequest* request,
                                  proto::CreateCirqueDeviceResponse* response) override;
  grpc::Status ExecuteDeviceCommand(grpc::ServerContext* context, const proto::ExecuteDeviceCommandRequest* request,
                                    proto::ExecuteDeviceCommandResponse* response) override;
  grpc::Status ListCirqueHomes(grpc::ServerContext* context, const proto::ListCirqueHomesRequest* request,
                               proto::ListCirqueHomesResponse* response) override;
  grpc::Status ListCirqueHomeDevices(grpc::ServerContext* context, const proto::ListCirqueHomeDevicesRequest* request,
                                     proto::ListCirqueHomeDevicesResponse* response) override;
  grpc::Status QueryCirqueDevice(grpc::ServerContext* context, const proto::QueryCirqueDeviceRequest* request,
                                 proto::QueryCirqueDeviceResponse* response) override;
  grpc::Status StopCirqueDevice(grpc::ServerContext* context, const proto::StopCirqueDeviceRequest* request,
                                google::protobuf::Empty* response) override;
  grpc::Status StopCirqueHome(grpc::ServerContext* context, const proto::StopCirqueHomeRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status GetCirqueDeviceLog(grpc::ServerContext* context, const proto::GetCirqueDeviceLogRequest* request,
                                  proto::GetCirqueDeviceLogResponse* response) override;

 private:
  // Checks the token and the request's fields, then runs `handler`.
  grpc::Status Serve(grpc::ServerContext& context, const google::protobuf::Message& request,
                     const std::function<void()>& handler);
  // The name for a device the client did not name: "<type>-<n>".
  std::string NameForDevice(const std::string& device_type);

  HomeRegistry& homes_;
  ExecSlots& slots_;
  const std::string token_;
  std::atomic<int> devices_named_{0};
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_CIRQUE_GRPC_SERVICE_H_
