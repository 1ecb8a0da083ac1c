// For the service's unit tests: a registry of homes on a FakeDockerClient,
// with a toy access point capability ("WiFi" describing an AP) and a
// plain "Interactive", served over HTTP on a free loopback port.
#ifndef CIRQUE_SERVICE_SERVICE_ON_FAKE_H_
#define CIRQUE_SERVICE_SERVICE_ON_FAKE_H_

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/capability_registry.h"
#include "service/home_registry.h"
#include "service/server.h"

namespace cirque::service::testing {

class ServiceOnFake {
 public:
  explicit ServiceOnFake(ServerOptions options = {});
  ~ServiceOnFake();

  httplib::Client& client() { return *client_; }
  HomeRegistry& homes() { return *homes_; }
  // The homes' capabilities, for a test to register more of its own.
  home::CapabilityRegistry& capabilities() { return capabilities_; }
  docker::testing::FakeDockerClient& fake() { return fake_; }
  int port() const { return port_; }

 private:
  docker::testing::FakeDockerClient fake_;
  home::CapabilityRegistry capabilities_;
  std::unique_ptr<HomeRegistry> homes_;
  std::unique_ptr<Server> server_;
  std::thread serving_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace cirque::service::testing

#endif  // CIRQUE_SERVICE_SERVICE_ON_FAKE_H_
