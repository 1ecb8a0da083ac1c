#include "service/cirque_grpc_service.h"

#include <chrono>
#include <memory>
#include <vector>

#include "cirque_test/util/error.h"
#include "service/bearer_token.h"
#include "service/device_specification.h"
#include "service/grpc_status.h"
#include "service/shell_words.h"
#include "service/unknown_fields.h"

namespace cirque::service {
namespace {

using std::chrono::milliseconds;

// The exec's deadline: the client's, when it gave one (so a command that
// outlasts it ends as DEADLINE_EXCEEDED), or the library's default.
milliseconds ExecDeadline(const grpc::ServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return home::kDefaultExecDeadline;
  auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::system_clock::now());
  if (left <= milliseconds(0)) {
    throw Error(ErrorCode::kDeadlineExceeded, "the call's deadline passed before the command could start");
  }
  return left;
}

// Cirque's log tail: 0 for the whole log (proto3 cannot tell 0 from unset).
int TailFrom(int tail) {
  if (tail < 0) {
    throw Error(ErrorCode::kInvalidArgument, "GetCirqueDeviceLogRequest.tail " + std::to_string(tail) +
                                                 " is negative; fix: give N >= 1 for the last N lines, or 0 for "
                                                 "the whole log");
  }
  return tail == 0 ? -1 : tail;
}

}  // namespace

proto::CirqueDevice CirqueDeviceOf(home::Node& node) {
  home::NodeDescription described = node.Describe();
  proto::CirqueDevice device;
  *device.mutable_device_specification() = DeviceSpecificationOf(node.spec());
  device.set_device_id(described.container_id);
  device.set_device_name(described.name);
  proto::DeviceDescription* description = device.mutable_device_description();
  description->set_ipv4_addr(described.ipv4_address);
  description->set_ipv6_addr(described.ipv6_address);
  description->set_state(described.state);
  if (auto wifi = described.capability_details.find("WiFi"); wifi != described.capability_details.end()) {
    if (auto ssid = wifi->second.find("ssid"); ssid != wifi->second.end()) description->set_ssid(ssid->second);
    if (auto psk = wifi->second.find("psk"); psk != wifi->second.end()) description->set_psk(psk->second);
  }
  return device;
}

CirqueGrpcService::CirqueGrpcService(HomeRegistry& homes, ExecSlots& slots, std::string token)
    : homes_(homes), slots_(slots), token_(std::move(token)) {}

grpc::Status CirqueGrpcService::Serve(grpc::ServerContext& context, const google::protobuf::Message& request,
                                      const std::function<void()>& handler) {
  if (!token_.empty()) {
    const auto& metadata = context.client_metadata();
    auto found = metadata.find("authorization");
    std::string_view given =
        found == metadata.end() ? std::string_view() : std::string_view(found->second.data(), found->second.size());
    if (!CarriesBearerToken(given, token_)) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "this service needs metadata 'authorization: Bearer <token>' (the token in the file "
                          "given to cirque serve --token-file)");
    }
  }
  return GrpcAnswer([&] {
    RefuseUnknownFields(request);
    handler();
  });
}

std::string CirqueGrpcService::NameForDevice(const std::string& device_type) {
  // Node names are 1 to 40 of a-z, 0-9 and '-'; Cirque's types have '_'
  // and capitals ("wifi_ap", "Generic Node").
  std::string base;
  for (char c : device_type) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool plain = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (plain) {
      base += lower;
    } else if (!base.empty() && base.back() != '-') {
      base += '-';
    }
  }
  while (!base.empty() && base.back() == '-') base.pop_back();
  if (base.empty()) base = "device";
  base = base.substr(0, 28);
  return base + "-" + std::to_string(++devices_named_);
}

grpc::Status CirqueGrpcService::CreateCirqueHome(grpc::ServerContext* context,
                                                 const proto::CreateCirqueHomeRequest* request,
                                                 proto::CreateCirqueHomeResponse* response) {
  return Serve(*context, *request, [&] {
    std::vector<home::NodeSpec> nodes;
    for (const auto& device : request->devices()) {
      std::string name = device.name().empty() ? NameForDevice(device.specification().device_type()) : device.name();
      nodes.push_back(NodeSpecFromDevice(name, device.specification(), homes_.capabilities()));
    }
    response->set_home_id(homes_.Create(nodes));
  });
}

grpc::Status CirqueGrpcService::CreateCirqueDevice(grpc::ServerContext* context,
                                                   const proto::CreateCirqueDeviceRequest* request,
                                                   proto::CreateCirqueDeviceResponse* response) {
  return Serve(*context, *request, [&] {
    const std::string home_id = request->home_id();
    homes_.Find(home_id);  // an unknown home is NOT_FOUND, whatever the spec
    if (!request->has_specification()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "CreateCirqueDeviceRequest.specification is unset; fix: give a DeviceSpecification (an empty "
                  "one is a plain generic device)");
    }
    const proto::DeviceSpecification& specification = request->specification();
    std::string name =
        request->device_name().empty() ? NameForDevice(specification.device_type()) : request->device_name();
    home::NodeSpec spec = NodeSpecFromDevice(name, specification, homes_.capabilities());
    *response->mutable_device() = CirqueDeviceOf(*homes_.AddNode(home_id, spec));
  });
}

grpc::Status CirqueGrpcService::ExecuteDeviceCommand(grpc::ServerContext* context,
                                                     const proto::ExecuteDeviceCommandRequest* request,
                                                     proto::ExecuteDeviceCommandResponse* response) {
  return Serve(*context, *request, [&] {
    auto home = homes_.Find(request->home_id());
    std::shared_ptr<home::Node> node = FindDevice(*home, request->device_id());
    docker::ExecSpec spec{.cmd = SplitShellWords(request->command(), "ExecuteDeviceCommandRequest.command")};
    if (spec.cmd.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "ExecuteDeviceCommandRequest.command is empty; fix: give a command line, e.g. \"ip addr\"");
    }
    spec.deadline = ExecDeadline(*context);
    std::string output;
    spec.on_output = [&output, context](docker::OutputStream, std::string_view data) {
      if (context->IsCancelled()) throw Error(ErrorCode::kUnavailable, "the client cancelled the call");
      output.append(data);
    };
    ExecSlots::Slot slot = slots_.Take();
    docker::ExecResult result = node->Exec(spec);
    response->set_output(output);
    response->set_exit_code(result.exit_code);
  });
}

grpc::Status CirqueGrpcService::ListCirqueHomes(grpc::ServerContext* context,
                                                const proto::ListCirqueHomesRequest* request,
                                                proto::ListCirqueHomesResponse* response) {
  return Serve(*context, *request, [&] {
    for (const auto& id : homes_.Ids()) response->add_home_id(id);
  });
}

grpc::Status CirqueGrpcService::ListCirqueHomeDevices(grpc::ServerContext* context,
                                                      const proto::ListCirqueHomeDevicesRequest* request,
                                                      proto::ListCirqueHomeDevicesResponse* response) {
  return Serve(*context, *request, [&] {
    auto home = homes_.Find(request->home_id());
    for (const auto& name : home->NodeNames()) {
      std::shared_ptr<home::Node> node;
      try {
        node = home->SharedNode(name);
      } catch (const Error&) {
        continue;  // removed since NodeNames
      }
      *response->add_devices() = CirqueDeviceOf(*node);
    }
  });
}

grpc::Status CirqueGrpcService::QueryCirqueDevice(grpc::ServerContext* context,
                                                  const proto::QueryCirqueDeviceRequest* request,
                                                  proto::QueryCirqueDeviceResponse* response) {
  return Serve(*context, *request, [&] {
    auto home = homes_.Find(request->home_id());
    auto node = FindDevice(*home, request->device_id());
    *response->mutable_device() = CirqueDeviceOf(*node);
  });
}

grpc::Status CirqueGrpcService::StopCirqueDevice(grpc::ServerContext* context,
                                                 const proto::StopCirqueDeviceRequest* request,
                                                 google::protobuf::Empty*) {
  return Serve(*context, *request, [&] {
    auto home = homes_.Find(request->home_id());
    auto node = FindDevice(*home, request->device_id());
    home->RemoveNode(node->name());
  });
}

grpc::Status CirqueGrpcService::StopCirqueHome(grpc::ServerContext* context,
                                               const proto::StopCirqueHomeRequest* request, google::protobuf::Empty*) {
  return Serve(*context, *request, [&] { homes_.Destroy(request->home_id()); });
}

grpc::Status CirqueGrpcService::GetCirqueDeviceLog(grpc::ServerContext* context,
                                                   const proto::GetCirqueDeviceLogRequest* request,
                                                   proto::GetCirqueDeviceLogResponse* response) {
  return Serve(*context, *request, [&] {
    int tail = TailFrom(request->tail());
    auto home = homes_.Find(request->home_id());
    auto node = FindDevice(*home, request->device_id());
    docker::ContainerLogs logs = node->Logs({.tail = tail});
    response->set_log(logs.stdout_text + logs.stderr_text);
  });
}

}  // namespace cirque::service
