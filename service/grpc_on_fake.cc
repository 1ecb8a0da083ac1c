#include "service/grpc_on_fake.h"

#include "capabilities/mount.h"
#include "capabilities/thread/thread_settings.h"
#include "capabilities/traffic_control.h"

namespace cirque::service::testing {
namespace {

// A capability that does nothing: its settings were checked when made.
class Checked : public home::Capability {
 public:
  explicit Checked(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }

 private:
  std::string name_;
};

void RegisterCheckedCapabilities(home::CapabilityRegistry& registry) {
  using namespace cirque::capabilities;
  registry.Register({.name = kThread,
                     .json_keys = {kThreadPetitionKey, kRcpModeKey, kThreadDaemonKey, kThreadKey},
                     .make = [](const home::NodeSpec& node) {
                       ThreadSettingsOf(node);
                       return std::make_unique<Checked>(kThread);
                     }});
  registry.Register(
      {.name = kTrafficControl, .json_keys = {kTrafficControlKey}, .make = [](const home::NodeSpec& node) {
         TrafficShapeOf(node);
         return std::make_unique<Checked>(kTrafficControl);
       }});
  registry.Register({.name = kMount, .json_keys = {kMountPairsKey}, .make = [](const home::NodeSpec& node) {
                       MountsOf(node);
                       return std::make_unique<Checked>(kMount);
                     }});
}

}  // namespace

GrpcOnFake::GrpcOnFake(const std::string& token) : service_({.token = token}) {
  RegisterCheckedCapabilities(service_.capabilities());
  server_ =
      std::make_unique<GrpcServer>(ServerOptions{.host = "127.0.0.1", .port = 0, .token = token}, service_.homes());
  int port = server_->Start();
  stub_ = proto::CirqueService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
}

GrpcOnFake::~GrpcOnFake() { server_->Stop(); }

std::unique_ptr<grpc::ClientContext> GrpcOnFake::Call(const std::string& token, std::chrono::seconds deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + deadline);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

}  // namespace cirque::service::testing
