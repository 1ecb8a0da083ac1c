// service_bench: what the service adds over the library, in one run.
//   create: a home of N plain nodes made through POST /v1/homes (a service
//           in this process on a loopback port, with the CLI's client)
//           against Runtime::MakeHome directly (the floor);
//   exec:   a `true` run in a node through POST /v1/.../exec, through
//           Cirque's GET /device_cmd and through gRPC's ExecuteDeviceCommand,
//           against Node::Exec (the floor).
// Prints medians, the ratios and the goals (create <= 1.1x, exec <= 1.3x).
//   bazel run -c opt //bench:service_bench -- [rounds, default 5] [nodes, default 2]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cirque_test/runtime/runtime.h"
#include "cirque_test/util/error.h"
#include "service/grpc_server.h"
#include "service/home_registry.h"
#include "service/proto/service.grpc.pb.h"
#include "service/server.h"
#include "service/service_client.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Timed(const std::function<void()>& action) {
  auto start = Clock::now();
  action();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<cirque::home::NodeSpec> PlainNodes(int count) {
  std::vector<cirque::home::NodeSpec> nodes;
  for (int i = 0; i < count; ++i) nodes.push_back(cirque::home::NodeSpec::Named("n" + std::to_string(i)));
  return nodes;
}

Json PlainNodesJson(int count) {
  Json nodes = Json::object();
  for (int i = 0; i < count; ++i) nodes["n" + std::to_string(i)] = Json::object();
  return nodes;
}

void Row(const char* what, double ours, double floor, double goal) {
  std::printf("%-28s %9.1f ms %9.1f ms %7.2fx  goal <= %.1fx %s\n", what, ours * 1000, floor * 1000, ours / floor,
              goal, ours / floor <= goal ? "met" : "NOT met");
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const int node_count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  const int execs = 20;
  try {
    cirque::runtime::Runtime& runtime = cirque::runtime::Runtime::Default();
    cirque::service::HomeRegistry homes(runtime.registry(), [&runtime](const std::string& name,
                                                                       const std::vector<cirque::home::NodeSpec>& nodes) {
      return runtime.MakeHome(name, nodes);
    });
    cirque::service::Server server({.host = "127.0.0.1", .port = 0}, homes);
    const int port = server.Bind();
    std::thread serving([&server] { server.Run(); });
    cirque::service::ServiceClient client("http://127.0.0.1:" + std::to_string(port));
    httplib::Client cirque_api("127.0.0.1", port);
    cirque::service::GrpcServer grpc_server({.host = "127.0.0.1", .port = 0}, homes);
    const int grpc_port = grpc_server.Start();
    auto stub = cirque::proto::CirqueService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port), grpc::InsecureChannelCredentials()));

    std::printf("engine: %s; %d rounds; homes of %d plain nodes; %d execs per round\n",
                runtime.client().endpoint().ToString().c_str(), rounds, node_count, execs);
    runtime.MakeHome("warm-up", PlainNodes(node_count))->Destroy();  // images resolved, engine probed

    std::vector<double> create_library, create_service, exec_library, exec_v1, exec_cirque, exec_grpc;
    for (int round = 0; round < rounds; ++round) {
      std::unique_ptr<cirque::home::VirtualHome> direct;
      create_library.push_back(Timed([&] { direct = runtime.MakeHome("bench", PlainNodes(node_count)); }));
      std::string id;
      create_service.push_back(Timed([&] { id = client.CreateHome(PlainNodesJson(node_count))["id"]; }));

      cirque::home::Node& node = direct->node("n0");
      for (int i = 0; i < execs; ++i) {
        exec_library.push_back(Timed([&] { node.Exec({"true"}); }));
        exec_v1.push_back(Timed([&] { client.Exec(id, "n0", {"true"}); }));
        exec_cirque.push_back(Timed([&] {
          auto reply = cirque_api.Get(("/device_cmd/" + id + "/n0/true").c_str());
          if (!reply || reply->status != 200) throw cirque::Error(cirque::ErrorCode::kInternal, "device_cmd failed");
        }));
        exec_grpc.push_back(Timed([&] {
          grpc::ClientContext context;
          cirque::proto::ExecuteDeviceCommandRequest request;
          request.set_home_id(id);
          request.set_device_id("n0");
          request.set_command("true");
          cirque::proto::ExecuteDeviceCommandResponse reply;
          if (!stub->ExecuteDeviceCommand(&context, request, &reply).ok()) {
            throw cirque::Error(cirque::ErrorCode::kInternal, "ExecuteDeviceCommand failed");
          }
        }));
      }
      direct->Destroy();
      client.DeleteHome(id);
      std::printf("round %d: create %.2f s (library %.2f s); exec %.1f ms (library %.1f ms)\n", round + 1,
                  create_service.back(), create_library.back(), exec_v1.back() * 1000, exec_library.back() * 1000);
    }
    grpc_server.Stop();
    server.Stop();
    serving.join();

    std::printf("\n%-28s %12s %12s %8s\n", "median", "service", "library", "ratio");
    Row("create a home (/v1/homes)", Median(create_service), Median(create_library), 1.1);
    Row("exec `true` (/v1 exec)", Median(exec_v1), Median(exec_library), 1.3);
    Row("exec `true` (/device_cmd)", Median(exec_cirque), Median(exec_library), 1.3);
    Row("exec `true` (gRPC)", Median(exec_grpc), Median(exec_library), 1.3);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "service_bench: %s\n", error.what());
    return 1;
  }
}
