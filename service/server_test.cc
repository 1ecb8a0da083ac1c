#include "service/server.h"

#include <future>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cirque_test/util/error.h"
#include "service/service_on_fake.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseListenTest, HostAndPort) {
  ServerOptions options;
  ParseListen("0.0.0.0:8080", options);
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 8080);
  ParseListen("[::1]:5000", options);
  EXPECT_EQ(options.host, "::1");
  ParseListen(":0", options);
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, 0);
  for (const char* bad : {"localhost", "1.2.3.4:", "1.2.3.4:http", "1.2.3.4:70000"}) {
    try {
      ParseListen(bad, options);
      ADD_FAILURE() << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
      EXPECT_THAT(error.what(), HasSubstr(std::string("--listen '") + bad + "'"));
    }
  }
}

TEST(ServerTest, ANonLoopbackAddressWithoutATokenIsRefused) {
  home::CapabilityRegistry capabilities;
  HomeRegistry homes(capabilities, nullptr);
  Server server({.host = "0.0.0.0", .port = 0}, homes);
  try {
    server.Bind();
    ADD_FAILURE() << "bound 0.0.0.0 without a token";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), HasSubstr("--token-file"));
  }
}

// A SIGTERM in the instant after start-up must not be lost: Stop before
// Run makes Run return at once instead of serving forever.
TEST(ServerTest, StopBeforeRunIsNotLost) {
  home::CapabilityRegistry capabilities;
  HomeRegistry homes(capabilities, nullptr);
  Server server({.host = "127.0.0.1", .port = 0}, homes);
  server.Bind();
  server.Stop();
  auto ran = std::async(std::launch::async, [&server] { return server.Run(); });
  ASSERT_EQ(ran.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(ran.get());
}

TEST(ServerTest, StopRightAfterRunBeginsStopsIt) {
  for (int i = 0; i < 20; ++i) {
    home::CapabilityRegistry capabilities;
    HomeRegistry homes(capabilities, nullptr);
    Server server({.host = "127.0.0.1", .port = 0}, homes);
    server.Bind();
    auto ran = std::async(std::launch::async, [&server] { return server.Run(); });
    server.Stop();
    ASSERT_EQ(ran.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "round " << i;
  }
}

TEST(ServerTest, WithATokenEveryRequestMustCarryIt) {
  testing::ServiceOnFake service({.token = "s3cret"});
  auto anonymous = service.client().Get("/get_homes");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(Json::parse(anonymous->body)["code"], "unauthenticated");
  service.client().set_bearer_token_auth("wrong!");
  EXPECT_EQ(service.client().Get("/get_homes")->status, 401);
  auto made = service.client().Post("/create_home", R"({"n": {}})", "application/json");
  EXPECT_EQ(made->status, 401);
  EXPECT_THAT(service.fake().LiveContainers(), IsEmpty());
  service.client().set_bearer_token_auth("s3cret");
  EXPECT_EQ(service.client().Get("/get_homes")->status, 200);
}

TEST(ServerTest, HugeBodiesAreRefusedWithAJsonError) {
  testing::ServiceOnFake service({.max_body_bytes = 1024});
  std::string huge = R"({"n": {"type": ")" + std::string(4096, 'x') + R"("}})";
  auto reply = service.client().Post("/create_home", huge, "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  Json error = Json::parse(reply->body);
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("--max-body"));
  EXPECT_THAT(service.fake().LiveContainers(), IsEmpty());
}

TEST(ServerTest, UnknownRoutesAreJsonErrors) {
  testing::ServiceOnFake service;
  auto reply = service.client().Get("/no/such/route");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(Json::parse(reply->body)["code"], "not_found");
}

// One exec slot: a command blocked in the node holds it, and a second
// request is refused at once (503) instead of queueing.
TEST(ServerTest, ExecsBeyondTheLimitAreRefusedWithTheFix) {
  testing::ServiceOnFake service({.max_execs = 1});
  std::string id = service.homes().CreateFromJson(R"({"n": {"type": "generic"}})");
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  service.fake().OnExec([&entered, released](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    if (call.argv.empty() || call.argv[0] != "sleep") return std::nullopt;
    entered.set_value();
    released.wait();
    return docker::ExecResult{.exit_code = 0};
  });
  httplib::Client first("127.0.0.1", service.port());
  auto running = std::async(std::launch::async, [&first, &id] { return first.Get("/device_cmd/" + id + "/n/sleep%201"); });
  entered.get_future().wait();
  auto refused = service.client().Get("/device_cmd/" + id + "/n/true");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_THAT(refused->body, HasSubstr("--max-execs"));
  release.set_value();
  EXPECT_EQ(running.get()->status, 200);
  EXPECT_EQ(service.client().Get("/device_cmd/" + id + "/n/true")->status, 200);
}

}  // namespace
}  // namespace cirque::service
