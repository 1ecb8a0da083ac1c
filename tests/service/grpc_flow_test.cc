// Cirque's client flow through gRPC from a C++ client, against a real
// engine: two Thread devices made with CreateCirqueHome, listed, queried,
// driven with ot-ctl through ExecuteDeviceCommand until they form a
// network and ping across it, a log read, and StopCirqueHome leaving
// nothing of the home on the engine. Host tier (Thread needs no module).
#include <chrono>
#include <memory>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/labels.h"
#include "cirque_test/runtime/runtime.h"
#include "fixtures/required_features.h"
#include "service/grpc_server.h"
#include "service/home_registry.h"
#include "service/proto/service.grpc.pb.h"

namespace {

using ::testing::HasSubstr;
namespace proto = ::cirque::proto;
using Clock = std::chrono::steady_clock;

class GrpcFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    homes_ = std::make_unique<cirque::service::HomeRegistry>(
        runtime_.registry(), [this](const std::string& name, const std::vector<cirque::home::NodeSpec>& nodes) {
          return runtime_.MakeHome(name, nodes);
        });
    server_ = std::make_unique<cirque::service::GrpcServer>(
        cirque::service::ServerOptions{.host = "127.0.0.1", .port = 0}, *homes_);
    int port = server_->Start();
    stub_ = proto::CirqueService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_->Stop();
    homes_->DestroyAll();
  }

  // Runs `command` in a device; the reply (a non-zero exit is data).
  proto::ExecuteDeviceCommandResponse Run(const std::string& home, const std::string& device,
                                          const std::string& command) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    proto::ExecuteDeviceCommandRequest request;
    request.set_home_id(home);
    request.set_device_id(device);
    request.set_command(command);
    proto::ExecuteDeviceCommandResponse reply;
    grpc::Status status = stub_->ExecuteDeviceCommand(&context, request, &reply);
    EXPECT_TRUE(status.ok()) << command << ": " << status.error_message();
    return reply;
  }
  // Polls `command` until its output contains one of `wanted`.
  bool AwaitOutput(const std::string& home, const std::string& device, const std::string& command,
                   const std::vector<std::string>& wanted, std::chrono::seconds deadline, std::string& last) {
    auto end = Clock::now() + deadline;
    while (Clock::now() < end) {
      last = Run(home, device, command).output();
      for (const auto& word : wanted) {
        if (last.find(word) != std::string::npos) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  cirque::runtime::Runtime& runtime_ = cirque::runtime::Runtime::Default();
  std::unique_ptr<cirque::service::HomeRegistry> homes_;
  std::unique_ptr<cirque::service::GrpcServer> server_;
  std::unique_ptr<proto::CirqueService::Stub> stub_;
};

TEST_F(GrpcFlowTest, ThreadDevicesFormANetworkThroughExecuteDeviceCommand) {
  proto::CreateCirqueHomeRequest create;
  for (const char* name : {"node1", "node2"}) {
    proto::NamedDeviceSpecification* device = create.add_devices();
    device->set_name(name);
    device->mutable_specification()->set_device_type("thread");
    device->mutable_specification()->mutable_thread_capability()->set_rcp_mode(true);
    device->mutable_specification()->mutable_thread_capability()->add_daemons("ot-daemon");
    device->mutable_specification()->mutable_interactive_capability();
  }
  proto::CreateCirqueHomeResponse created;
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
    grpc::Status status = stub_->CreateCirqueHome(&context, create, &created);
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      cirque::home::UnmetRequirementError unmet(status.error_message(), {"thread"});
      CIRQUE_SKIP_UNLESS_REQUIRED(unmet);
    }
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const std::string home = created.home_id();

  {
    grpc::ClientContext context;
    proto::ListCirqueHomesResponse listed;
    ASSERT_TRUE(stub_->ListCirqueHomes(&context, {}, &listed).ok());
    EXPECT_THAT(listed.home_id(), ::testing::Contains(home));
  }
  std::map<std::string, std::string> ids;  // name -> device id
  {
    grpc::ClientContext context;
    proto::ListCirqueHomeDevicesRequest request;
    request.set_home_id(home);
    proto::ListCirqueHomeDevicesResponse devices;
    ASSERT_TRUE(stub_->ListCirqueHomeDevices(&context, request, &devices).ok());
    ASSERT_EQ(devices.devices_size(), 2);
    for (const auto& device : devices.devices()) {
      EXPECT_EQ(device.device_specification().device_type(), "thread");
      EXPECT_TRUE(device.device_specification().has_thread_capability());
      EXPECT_FALSE(device.device_description().ipv4_addr().empty());
      ids[device.device_name()] = device.device_id();
    }
  }
  {
    grpc::ClientContext context;
    proto::QueryCirqueDeviceRequest request;
    request.set_home_id(home);
    request.set_device_id("nope");
    proto::QueryCirqueDeviceResponse reply;
    grpc::Status status = stub_->QueryCirqueDevice(&context, request, &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(status.error_message(), HasSubstr("nope"));
  }
  EXPECT_EQ(Run(home, ids["node1"], "sh -c 'echo bye; exit 3'").exit_code(), 3);

  for (const char* command : {"ot-ctl dataset init new", "ot-ctl dataset commit active", "ot-ctl ifconfig up",
                              "ot-ctl thread start"}) {
    EXPECT_THAT(Run(home, ids["node1"], command).output(), HasSubstr("Done")) << command;
  }
  std::string last;
  ASSERT_TRUE(AwaitOutput(home, ids["node1"], "ot-ctl state", {"leader"}, std::chrono::seconds(30), last)) << last;
  std::string dataset = Run(home, ids["node1"], "ot-ctl dataset active -x").output();
  dataset = dataset.substr(0, dataset.find_first_of("\r\n"));
  for (const std::string& command : {"ot-ctl dataset set active " + dataset, std::string("ot-ctl ifconfig up"),
                                     std::string("ot-ctl thread start")}) {
    EXPECT_THAT(Run(home, ids["node2"], command).output(), HasSubstr("Done")) << command;
  }
  ASSERT_TRUE(AwaitOutput(home, ids["node2"], "ot-ctl state", {"child", "router"}, std::chrono::seconds(30), last))
      << last;
  std::string address = Run(home, ids["node1"], "ot-ctl ipaddr mleid").output();
  address = address.substr(0, address.find_first_of("\r\n"));
  EXPECT_TRUE(AwaitOutput(home, ids["node2"], "ot-ctl ping " + address + " 16 1", {" 1 packets received"},
                          std::chrono::seconds(30), last))
      << last;

  {
    grpc::ClientContext context;
    proto::GetCirqueDeviceLogRequest request;
    request.set_home_id(home);
    request.set_device_id(ids["node1"]);
    request.set_tail(5);
    proto::GetCirqueDeviceLogResponse log;
    EXPECT_TRUE(stub_->GetCirqueDeviceLog(&context, request, &log).ok());
  }
  {
    grpc::ClientContext context;
    proto::StopCirqueHomeRequest request;
    request.set_home_id(home);
    google::protobuf::Empty empty;
    ASSERT_TRUE(stub_->StopCirqueHome(&context, request, &empty).ok());
  }
  EXPECT_TRUE(homes_->Ids().empty());
  EXPECT_TRUE(runtime_.client().ListContainers({{cirque::home::kHomeLabel, home}}).empty());
}

}  // namespace
