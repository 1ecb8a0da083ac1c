#include "service/service_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "service/service_on_fake.h"

namespace cirque::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ServiceClientTest, DrivesTheV1ApiAndTurnsErrorAnswersIntoErrors) {
  testing::ServiceOnFake service;
  ServiceClient client("http://127.0.0.1:" + std::to_string(service.port()));
  nlohmann::json home = client.CreateHome({{"hub", nlohmann::json::object()}});
  std::string id = home["id"];
  EXPECT_EQ(client.ListHomes()["homes"].size(), 1u);
  EXPECT_EQ(client.GetHome(id)["nodes"][0]["name"], "hub");
  client.AddNodes(id, {{"lamp", nlohmann::json::object()}});
  service.fake().AnswerExec({"uname"}, {.exit_code = 0, .stdout_text = "Linux\n"});
  docker::ExecResult ran = client.Exec(id, "lamp", {"uname"});
  EXPECT_EQ(ran.exit_code, 0);
  EXPECT_EQ(ran.stdout_text, "Linux\n");
  try {
    client.Exec(id, "fridge", {"uname"});
    ADD_FAILURE() << "no error for an unknown node";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("no device 'fridge'"));
  }
  client.DeleteHome(id);
  EXPECT_TRUE(client.ListHomes()["homes"].empty());
}

TEST(ServiceClientTest, NoServiceIsUnavailableWithTheFix) {
  ServiceClient client("http://127.0.0.1:1");
  try {
    client.ListHomes();
    ADD_FAILURE() << "no error without a service";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(error.what(), HasSubstr("cirque serve"));
  }
}

}  // namespace
}  // namespace cirque::service
