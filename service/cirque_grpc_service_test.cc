// Cirque's gRPC API over real gRPC on loopback, on homes of the fake engine.
#include "service/cirque_grpc_service.h"

#include <gmock/gmock.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>

#include "capabilities/thread/thread_settings.h"
#include "cirque_test/util/error.h"
#include "service/grpc_on_fake.h"
#include "service/grpc_server.h"

namespace cirque::service {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

proto::NamedDeviceSpecification Named(const std::string& name, proto::DeviceSpecification specification) {
  proto::NamedDeviceSpecification named;
  named.set_name(name);
  *named.mutable_specification() = std::move(specification);
  return named;
}

proto::DeviceSpecification OfType(const std::string& type) {
  proto::DeviceSpecification device;
  device.set_device_type(type);
  return device;
}

class CirqueGrpcServiceTest : public ::testing::Test {
 protected:
  std::string CreateHome(const std::vector<proto::NamedDeviceSpecification>& devices) {
    proto::CreateCirqueHomeRequest request;
    for (const auto& device : devices) *request.add_devices() = device;
    proto::CreateCirqueHomeResponse response;
    grpc::Status status = service_.stub().CreateCirqueHome(service_.Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.home_id();
  }
  std::vector<std::string> HomeIds() {
    proto::ListCirqueHomesResponse response;
    EXPECT_TRUE(service_.stub().ListCirqueHomes(service_.Call().get(), {}, &response).ok());
    return {response.home_id().begin(), response.home_id().end()};
  }
  // The home's devices by name.
  std::map<std::string, proto::CirqueDevice> Devices(const std::string& home_id) {
    proto::ListCirqueHomeDevicesRequest request;
    request.set_home_id(home_id);
    proto::ListCirqueHomeDevicesResponse response;
    grpc::Status status = service_.stub().ListCirqueHomeDevices(service_.Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, proto::CirqueDevice> devices;
    for (const auto& device : response.devices()) devices[device.device_name()] = device;
    return devices;
  }
  grpc::Status Query(const std::string& home_id, const std::string& device_id, proto::CirqueDevice* device) {
    proto::QueryCirqueDeviceRequest request;
    request.set_home_id(home_id);
    request.set_device_id(device_id);
    proto::QueryCirqueDeviceResponse response;
    grpc::Status status = service_.stub().QueryCirqueDevice(service_.Call().get(), request, &response);
    *device = response.device();
    return status;
  }
  grpc::Status Execute(const std::string& home_id, const std::string& device_id, const std::string& command,
                       proto::ExecuteDeviceCommandResponse* response) {
    proto::ExecuteDeviceCommandRequest request;
    request.set_home_id(home_id);
    request.set_device_id(device_id);
    request.set_command(command);
    return service_.stub().ExecuteDeviceCommand(service_.Call().get(), request, response);
  }
  grpc::Status CreateDevice(const std::string& home_id, const proto::DeviceSpecification& specification,
                            proto::CirqueDevice* device, const std::string& name = "") {
    proto::CreateCirqueDeviceRequest request;
    request.set_home_id(home_id);
    *request.mutable_specification() = specification;
    request.set_device_name(name);
    proto::CreateCirqueDeviceResponse response;
    grpc::Status status = service_.stub().CreateCirqueDevice(service_.Call().get(), request, &response);
    *device = response.device();
    return status;
  }

  testing::GrpcOnFake service_;
};

TEST_F(CirqueGrpcServiceTest, CirqueClientFlow) {
  proto::DeviceSpecification node = OfType("generic");
  node.mutable_interactive_capability();
  node.mutable_wifi_capability();
  proto::DeviceSpecification ap = OfType("wifi_ap");
  ap.mutable_wifi_capability();
  std::string id = CreateHome({Named("node1", node), Named("ap", ap)});
  EXPECT_THAT(HomeIds(), ElementsAre(id));

  std::map<std::string, proto::CirqueDevice> devices = Devices(id);
  ASSERT_THAT(devices, SizeIs(2));
  EXPECT_EQ(devices["ap"].device_specification().device_type(), "wifi_ap");
  EXPECT_EQ(devices["ap"].device_description().ssid(), "toy-ssid");
  EXPECT_EQ(devices["ap"].device_description().psk(), "toy passphrase");
  const proto::CirqueDevice& node1 = devices["node1"];
  EXPECT_EQ(node1.device_specification().device_type(), "generic");
  EXPECT_TRUE(node1.device_specification().has_interactive_capability());
  EXPECT_FALSE(node1.device_specification().has_thread_capability());
  EXPECT_FALSE(node1.device_description().ipv4_addr().empty());
  EXPECT_EQ(node1.device_description().state(), "running");

  // Cirque's device ids are container ids; a 12-character prefix and the
  // name name the device too.
  const std::string node1_id = node1.device_id();
  for (const std::string& name : {node1_id, node1_id.substr(0, 12), std::string("node1")}) {
    proto::CirqueDevice queried;
    ASSERT_TRUE(Query(id, name, &queried).ok()) << name;
    EXPECT_EQ(queried.device_name(), "node1");
    EXPECT_EQ(queried.device_id(), node1_id);
  }

  std::vector<std::string> argv;
  service_.fake().OnExec([&argv](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    if (call.argv.empty() || call.argv[0] != "bash") return std::nullopt;
    argv = call.argv;
    return docker::ExecResult{.exit_code = 3, .stdout_text = "a\n", .stderr_text = "oops\n"};
  });
  proto::ExecuteDeviceCommandResponse ran;
  grpc::Status status = Execute(id, node1_id, "bash -c 'echo a; exit 3'", &ran);
  ASSERT_TRUE(status.ok()) << status.error_message();  // exit code 3 is an answer, not an error
  EXPECT_THAT(argv, ElementsAre("bash", "-c", "echo a; exit 3"));
  EXPECT_EQ(ran.exit_code(), 3);
  EXPECT_EQ(ran.output(), "a\noops\n");

  service_.fake().AppendLogs(node1_id, "one\ntwo\nthree\n");
  proto::GetCirqueDeviceLogRequest log_request;
  log_request.set_home_id(id);
  log_request.set_device_id("node1");
  log_request.set_tail(1);
  proto::GetCirqueDeviceLogResponse log;
  ASSERT_TRUE(service_.stub().GetCirqueDeviceLog(service_.Call().get(), log_request, &log).ok());
  EXPECT_EQ(log.log(), "three\n");
  log_request.set_tail(0);  // Cirque's default: the whole log
  ASSERT_TRUE(service_.stub().GetCirqueDeviceLog(service_.Call().get(), log_request, &log).ok());
  EXPECT_EQ(log.log(), "one\ntwo\nthree\n");

  proto::CirqueDevice added;
  proto::DeviceSpecification generic_node = OfType("Generic Node");
  generic_node.set_base_image("generic");
  status = CreateDevice(id, generic_node, &added);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(added.device_name(), HasSubstr("generic-node-"));  // Cirque's types are no node names
  EXPECT_FALSE(added.device_id().empty());
  EXPECT_THAT(Devices(id), SizeIs(3));

  proto::StopCirqueDeviceRequest stop_device;
  stop_device.set_home_id(id);
  stop_device.set_device_id(node1_id);
  google::protobuf::Empty empty;
  ASSERT_TRUE(service_.stub().StopCirqueDevice(service_.Call().get(), stop_device, &empty).ok());
  std::map<std::string, proto::CirqueDevice> left = Devices(id);
  EXPECT_THAT(left, SizeIs(2));
  EXPECT_EQ(left.count("node1"), 0u);

  proto::StopCirqueHomeRequest stop_home;
  stop_home.set_home_id(id);
  ASSERT_TRUE(service_.stub().StopCirqueHome(service_.Call().get(), stop_home, &empty).ok());
  EXPECT_THAT(HomeIds(), IsEmpty());
  EXPECT_THAT(service_.fake().LiveContainers(), IsEmpty());
}

// Cirque's own clients make an empty home, then its devices one by one.
TEST_F(CirqueGrpcServiceTest, AnEmptyHomeFilledDeviceByDevice) {
  std::string id = CreateHome({});
  EXPECT_THAT(Devices(id), IsEmpty());
  proto::CirqueDevice device;
  ASSERT_TRUE(CreateDevice(id, OfType("wifi_ap"), &device, "ap").ok());
  EXPECT_EQ(device.device_name(), "ap");
  ASSERT_TRUE(CreateDevice(id, OfType("generic"), &device).ok());
  EXPECT_THAT(Devices(id), SizeIs(2));
}

TEST_F(CirqueGrpcServiceTest, ThreadDaemonsReachTheNodesSpec) {
  service_.fake().AddImage("thread");
  std::string id = CreateHome({});
  proto::DeviceSpecification thread = OfType("thread");
  thread.mutable_thread_capability()->set_petition_id(2);
  thread.mutable_thread_capability()->set_rcp_mode(true);
  thread.mutable_thread_capability()->add_daemons("otbr-agent");
  proto::CirqueDevice device;
  grpc::Status status = CreateDevice(id, thread, &device, "border-router");
  ASSERT_TRUE(status.ok()) << status.error_message();

  const home::NodeSpec& spec = service_.homes().Find(id)->node("border-router").spec();
  EXPECT_EQ(spec.Setting("thread_daemon"), "\"otbr-agent\"");
  capabilities::ThreadSettings settings = capabilities::ThreadSettingsOf(spec);
  EXPECT_EQ(settings.daemon, "otbr-agent");
  EXPECT_EQ(settings.petition, 2);
  EXPECT_TRUE(settings.rcp_mode);
  // And the reply says so (Cirque's left Thread's settings out).
  EXPECT_THAT(device.device_specification().thread_capability().daemons(), ElementsAre("otbr-agent"));
  EXPECT_EQ(device.device_specification().thread_capability().petition_id(), 2);
}

TEST_F(CirqueGrpcServiceTest, UnknownHomesAndDevicesAreNotFound) {
  std::string id = CreateHome({Named("n", OfType("generic"))});
  proto::CirqueDevice device;
  grpc::Status status = Query("nope", "n", &device);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("'nope'"), HasSubstr(id)));
  status = Query(id, "ghost", &device);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("'ghost'"), HasSubstr("nodes: n")));

  proto::ExecuteDeviceCommandResponse ran;
  EXPECT_EQ(Execute(id, "ghost", "true", &ran).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CreateDevice("nope", OfType("generic"), &device).error_code(), grpc::StatusCode::NOT_FOUND);
  google::protobuf::Empty empty;
  proto::StopCirqueDeviceRequest stop_device;
  stop_device.set_home_id(id);
  stop_device.set_device_id("ghost");
  EXPECT_EQ(service_.stub().StopCirqueDevice(service_.Call().get(), stop_device, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  proto::StopCirqueHomeRequest stop_home;
  stop_home.set_home_id("nope");
  EXPECT_EQ(service_.stub().StopCirqueHome(service_.Call().get(), stop_home, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  proto::GetCirqueDeviceLogRequest log_request;
  log_request.set_home_id(id);
  log_request.set_device_id("ghost");
  proto::GetCirqueDeviceLogResponse log;
  EXPECT_EQ(service_.stub().GetCirqueDeviceLog(service_.Call().get(), log_request, &log).error_code(),
            grpc::StatusCode::NOT_FOUND);
  proto::ListCirqueHomeDevicesRequest list;
  list.set_home_id("nope");
  proto::ListCirqueHomeDevicesResponse listed;
  EXPECT_EQ(service_.stub().ListCirqueHomeDevices(service_.Call().get(), list, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CirqueGrpcServiceTest, BadSpecsAreInvalidArgumentsNamingFieldAndValue) {
  std::string id = CreateHome({});
  const size_t containers = service_.fake().LiveContainers().size();
  proto::CirqueDevice device;

  proto::DeviceSpecification lossy = OfType("generic");
  lossy.mutable_trafficcontrol_capability()->set_loss_rate(-5);
  grpc::Status status = CreateDevice(id, lossy, &device);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("trafficcontrol_capability.loss_rate"), HasSubstr("-5")));

  proto::DeviceSpecification unknown_daemon = OfType("thread");
  unknown_daemon.mutable_thread_capability()->set_rcp_mode(true);
  unknown_daemon.mutable_thread_capability()->add_daemons("wpantund");
  status = CreateDevice(id, unknown_daemon, &device);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("thread_capability.daemons"), HasSubstr("wpantund"), HasSubstr("otbr-agent")));

  // A field of a later Cirque (11: Bluetooth) would be dropped silently.
  proto::DeviceSpecification later = OfType("generic");
  later.GetReflection()->MutableUnknownFields(&later)->AddLengthDelimited(11, "");
  status = CreateDevice(id, later, &device);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("CreateCirqueDeviceRequest.specification"), HasSubstr("field 11")));

  status = CreateDevice(id, OfType("generic"), &device, "Bad Name");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("'Bad Name'"));

  proto::CreateCirqueDeviceRequest unset;
  unset.set_home_id(id);
  proto::CreateCirqueDeviceResponse response;
  status = service_.stub().CreateCirqueDevice(service_.Call().get(), unset, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("specification is unset"));

  EXPECT_THAT(Devices(id), IsEmpty());
  EXPECT_EQ(service_.fake().LiveContainers().size(), containers);

  // A home with a bad device is not made at all.
  proto::DeviceSpecification far = OfType("thread");
  far.mutable_thread_capability()->set_petition_id(-1);
  proto::CreateCirqueHomeRequest home_request;
  *home_request.add_devices() = Named("ok", OfType("generic"));
  *home_request.add_devices() = Named("far", far);
  proto::CreateCirqueHomeResponse home_response;
  status = service_.stub().CreateCirqueHome(service_.Call().get(), home_request, &home_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("node 'far'"), HasSubstr("thread_capability.petition_id")));
  EXPECT_THAT(HomeIds(), ElementsAre(id));
}

TEST_F(CirqueGrpcServiceTest, BadCommandsAndTailsAreInvalidArguments) {
  std::string id = CreateHome({Named("n", OfType("generic"))});
  proto::ExecuteDeviceCommandResponse ran;
  grpc::Status status = Execute(id, "n", "", &ran);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("command is empty"));
  status = Execute(id, "n", "echo 'unclosed", &ran);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ExecuteDeviceCommandRequest.command"));

  proto::GetCirqueDeviceLogRequest log_request;
  log_request.set_home_id(id);
  log_request.set_device_id("n");
  log_request.set_tail(-3);
  proto::GetCirqueDeviceLogResponse log;
  status = service_.stub().GetCirqueDeviceLog(service_.Call().get(), log_request, &log);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("tail -3"), HasSubstr("fix")));
}

// The command runs under the client's deadline, and one that outlasts it
// is DEADLINE_EXCEEDED.
TEST_F(CirqueGrpcServiceTest, CommandsRunUnderTheCallersDeadline) {
  std::string id = CreateHome({Named("n", OfType("generic"))});
  std::chrono::milliseconds seen{0};
  service_.fake().OnExec([&seen](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    seen = call.spec.deadline;
    if (call.argv[0] == "slow") throw Error(ErrorCode::kDeadlineExceeded, "exec ran past its deadline");
    return docker::ExecResult{.exit_code = 0};
  });
  proto::ExecuteDeviceCommandResponse ran;
  ASSERT_TRUE(Execute(id, "n", "true", &ran).ok());
  EXPECT_GT(seen, std::chrono::milliseconds(0));
  // The test's call deadline, as gRPC sends it (rounded up).
  EXPECT_LE(seen, std::chrono::seconds(11));
  EXPECT_EQ(Execute(id, "n", "slow", &ran).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST(CirqueGrpcServiceTokenTest, CallsWithoutTheTokenAreUnauthenticated) {
  const std::string token = "a-long-enough-s3cret";
  testing::GrpcOnFake service(token);
  proto::ListCirqueHomesResponse homes;
  grpc::Status status = service.stub().ListCirqueHomes(service.Call().get(), {}, &homes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("authorization: Bearer"));
  EXPECT_EQ(service.stub().ListCirqueHomes(service.Call("wrong").get(), {}, &homes).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  proto::CreateCirqueHomeResponse created;
  EXPECT_EQ(service.stub().CreateCirqueHome(service.Call().get(), {}, &created).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(service.homes().Ids(), IsEmpty());

  ASSERT_TRUE(service.stub().CreateCirqueHome(service.Call(token).get(), {}, &created).ok());
  ASSERT_TRUE(service.stub().ListCirqueHomes(service.Call(token).get(), {}, &homes).ok());
  EXPECT_THAT(homes.home_id(), ElementsAre(created.home_id()));
}

TEST(GrpcServerTest, ANonLoopbackAddressNeedsAToken) {
  testing::GrpcOnFake service;
  GrpcServer server({.host = "0.0.0.0", .port = 0}, service.homes());
  try {
    server.Start();
    ADD_FAILURE() << "served 0.0.0.0 without a token";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), HasSubstr("--token-file"));
  }
}

// One exec slot: a command blocked in the node holds it, and a second call
// is refused at once instead of queueing.
TEST(GrpcServerTest, ExecsBeyondTheLimitAreUnavailable) {
  testing::GrpcOnFake service;
  std::string id = service.homes().CreateFromJson(R"({"n": {"type": "generic"}})");
  GrpcServer one_slot({.host = "127.0.0.1", .port = 0, .max_execs = 1}, service.homes());
  auto stub = proto::CirqueService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(one_slot.Start()), grpc::InsecureChannelCredentials()));
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  service.fake().OnExec(
      [&entered, released](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
        if (call.argv[0] != "sleep") return std::nullopt;
        entered.set_value();
        released.wait_for(std::chrono::seconds(10));
        return docker::ExecResult{.exit_code = 0};
      });
  proto::ExecuteDeviceCommandRequest sleep;
  sleep.set_home_id(id);
  sleep.set_device_id("n");
  sleep.set_command("sleep 1");
  auto running = std::async(std::launch::async, [&] {
    proto::ExecuteDeviceCommandResponse response;
    return stub->ExecuteDeviceCommand(service.Call().get(), sleep, &response).error_code();
  });
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  proto::ExecuteDeviceCommandRequest quick = sleep;
  quick.set_command("true");
  proto::ExecuteDeviceCommandResponse response;
  grpc::Status refused = stub->ExecuteDeviceCommand(service.Call().get(), quick, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused.error_message(), HasSubstr("--max-execs"));
  release.set_value();
  EXPECT_EQ(running.get(), grpc::StatusCode::OK);
  one_slot.Stop();
}

}  // namespace
}  // namespace cirque::service
