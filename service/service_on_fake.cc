#include "service/service_on_fake.h"

#include "cirque_test/home/home.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/util/error.h"

namespace cirque::service::testing {
namespace {

// Describes itself as Cirque's AP does, so wifi_ssid_psk has one to find.
class ToyAccessPoint : public home::Capability {
 public:
  std::string name() const override { return "WiFi"; }
  std::map<std::string, std::string> Describe() const override {
    return {{"role", "access point"}, {"ssid", "toy-ssid"}, {"psk", "toy passphrase"}};
  }
};

class Interactive : public home::Capability {
 public:
  std::string name() const override { return "Interactive"; }
};

}  // namespace

ServiceOnFake::ServiceOnFake(ServerOptions options) {
  fake_.AddImage("wifi_ap");  // Cirque's AP type, as its image name
  capabilities_.Register("WiFi", [](const home::NodeSpec&) { return std::make_unique<ToyAccessPoint>(); });
  capabilities_.Register("Interactive", [](const home::NodeSpec&) { return std::make_unique<Interactive>(); });
  homes_ = std::make_unique<HomeRegistry>(
      capabilities_, [this](const std::string& name, const std::vector<home::NodeSpec>& nodes) {
        return home::VirtualHome::Create(home::testing::HomeOptionsOnFake(fake_, capabilities_, {}, name), nodes);
      });
  options.host = "127.0.0.1";
  options.port = 0;
  server_ = std::make_unique<Server>(options, *homes_);
  port_ = server_->Bind();
  serving_ = std::thread([this] { server_->Run(); });
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_read_timeout(10, 0);
  // httplib's stop() does nothing until listen_after_bind has begun, so a
  // test that ends before the serving thread got that far would hang the
  // destructor's join. One answer (401 with a token) proves it has begun.
  if (!client_->Get("/")) {
    // The serving thread may never return: it is let go, with what it uses.
    serving_.detach();
    (void)server_.release();
    (void)homes_.release();
    throw Error(ErrorCode::kUnavailable, "the service on the fake did not answer within 10 s");
  }
}

ServiceOnFake::~ServiceOnFake() {
  server_->Stop();
  serving_.join();
  homes_->DestroyAll();
}

}  // namespace cirque::service::testing
