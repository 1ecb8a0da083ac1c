#include "service/v1_api.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/service_on_fake.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class V1ApiTest : public ::testing::Test {
 protected:
  httplib::Result Post(const std::string& path, const Json& body) {
    return service_.client().Post(path.c_str(), body.dump(), "application/json");
  }
  Json Expect(const httplib::Result& reply, int status) {
    EXPECT_TRUE(reply);
    if (!reply) return nullptr;
    EXPECT_EQ(reply->status, status) << reply->body;
    return reply->body.empty() ? Json() : Json::parse(reply->body);
  }
  std::string MakeHome() {
    Json home = Expect(Post("/v1/homes", {{"nodes", {{"hub", {{"type", "generic"}}}, {"lamp", Json::object()}}}}), 201);
    return home["id"];
  }

  testing::ServiceOnFake service_;
};

TEST_F(V1ApiTest, HomesAndNodesWithProperVerbs) {
  auto made = Post("/v1/homes", {{"nodes", {{"hub", {{"type", "generic"}, {"capability", {"Interactive"}}}}}}});
  Json home = Expect(made, 201);
  std::string id = home["id"];
  EXPECT_EQ(made->get_header_value("Location"), "/v1/homes/" + id);
  ASSERT_THAT(home["nodes"], SizeIs(1));
  EXPECT_EQ(home["nodes"][0]["name"], "hub");
  EXPECT_TRUE(home["nodes"][0]["capabilities"].contains("Interactive"));
  EXPECT_FALSE(home["nodes"][0]["ipv4_address"].get<std::string>().empty());
  EXPECT_TRUE(home["networks"].contains("default"));

  Json listed = Expect(service_.client().Get("/v1/homes"), 200);
  ASSERT_THAT(listed["homes"], SizeIs(1));
  EXPECT_THAT(listed["homes"][0]["nodes"], ElementsAre("hub"));

  Json added = Expect(Post("/v1/homes/" + id + "/nodes", {{"nodes", {{"sensor", Json::object()}}}}), 201);
  EXPECT_EQ(added["nodes"][0]["name"], "sensor");
  EXPECT_EQ(Expect(service_.client().Get(("/v1/homes/" + id + "/nodes/sensor").c_str()), 200)["state"], "running");
  Json restarted = Expect(service_.client().Post(("/v1/homes/" + id + "/nodes/sensor/restart").c_str()), 200);
  EXPECT_EQ(restarted["name"], "sensor");
  Expect(service_.client().Delete(("/v1/homes/" + id + "/nodes/sensor").c_str()), 204);
  EXPECT_EQ(Expect(service_.client().Get(("/v1/homes/" + id + "/nodes/sensor").c_str()), 404)["code"], "not_found");
  Expect(service_.client().Delete(("/v1/homes/" + id).c_str()), 204);
  EXPECT_EQ(Expect(service_.client().Get(("/v1/homes/" + id).c_str()), 404)["code"], "not_found");
  EXPECT_THAT(service_.fake().LiveContainers(), IsEmpty());
}

TEST_F(V1ApiTest, ExecTakesAnArgvWithEnvWorkdirAndDeadline) {
  std::string id = MakeHome();
  std::vector<docker::testing::ExecCall> calls;
  service_.fake().OnExec([&calls](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    if (call.argv.empty() || call.argv[0] != "printenv") return std::nullopt;
    calls.push_back(call);
    return docker::ExecResult{.exit_code = 2, .stdout_text = "out", .stderr_text = "err"};
  });
  Json result = Expect(Post("/v1/homes/" + id + "/nodes/hub/exec",
                            {{"argv", {"printenv", "A B;"}}, {"env", {"A B;=1"}}, {"workdir", "/tmp"}, {"deadline_ms", 5000}}),
                       200);
  EXPECT_EQ(result, (Json{{"exit_code", 2}, {"stdout", "out"}, {"stderr", "err"}}));
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_THAT(calls[0].argv, ElementsAre("printenv", "A B;"));  // an argv: no shell, no splitting
  EXPECT_THAT(calls[0].spec.env, ElementsAre("A B;=1"));
  EXPECT_EQ(calls[0].spec.working_dir, "/tmp");
  EXPECT_EQ(calls[0].spec.deadline, std::chrono::milliseconds(5000));
}

TEST_F(V1ApiTest, StreamedExecIsNdjsonEndingWithTheExitCode) {
  std::string id = MakeHome();
  service_.fake().AnswerExec({"cat"}, {.exit_code = 0, .stdout_text = "hello", .stderr_text = "warn"});
  auto reply = Post("/v1/homes/" + id + "/nodes/hub/exec", {{"argv", {"cat"}}, {"stream", true}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  std::istringstream lines(reply->body);
  std::vector<Json> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(Json::parse(line));
  EXPECT_THAT(objects, ElementsAre(Json{{"stdout", "hello"}}, Json{{"stderr", "warn"}}, Json{{"exit_code", 0}}));
}

TEST_F(V1ApiTest, BadRequestsNameTheFieldAndTheFix) {
  std::string id = MakeHome();
  struct Bad {
    std::string path;
    Json body;
    std::string expected;
  };
  const std::string exec = "/v1/homes/" + id + "/nodes/hub/exec";
  for (const Bad& bad : std::vector<Bad>{
           {"/v1/homes", {{"nodes", "hub"}}, "nodes \"hub\""},
           {"/v1/homes", {{"nodez", Json::object()}}, "request.nodez"},
           {"/v1/homes", {{"nodes", {{"n", {{"capability", {"Teleport"}}}}}}}, "Teleport"},
           {exec, {{"argv", Json::array()}}, "argv []: must name a program"},
           {exec, {{"argv", "ls -l"}}, "argv \"ls -l\""},
           {exec, {{"argv", {"ls"}}, {"env", {"NOEQUALS"}}}, "KEY=value"},
           {exec, {{"argv", {"ls"}}, {"workdir", "tmp"}}, "absolute"},
           {exec, {{"argv", {"ls"}}, {"deadline_ms", 0}}, "deadline_ms 0"},
           {exec, {{"argv", {"ls"}}, {"shell", true}}, "exec.shell"},
           {"/v1/homes/" + id + "/nodes", {{"nodes", Json::object()}}, "names no node"},
       }) {
    Json error = Expect(Post(bad.path, bad.body), 400);
    EXPECT_EQ(error["code"], "invalid_argument") << bad.body;
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr(bad.expected)) << bad.body;
  }
  auto not_json = service_.client().Post("/v1/homes", "{nodes:", "application/json");
  EXPECT_EQ(Expect(not_json, 400)["code"], "invalid_argument");
}

TEST_F(V1ApiTest, LogsTakeTailAndSince) {
  std::string id = MakeHome();
  Json hub = Expect(service_.client().Get(("/v1/homes/" + id + "/nodes/hub").c_str()), 200);
  service_.fake().AppendLogs(hub["container_id"], "a\nb\nc\n", "");
  auto logs = [&](const std::string& query) {
    return service_.client().Get(("/v1/homes/" + id + "/nodes/hub/logs" + query).c_str());
  };
  EXPECT_EQ(logs("")->body, "a\nb\nc\n");
  EXPECT_EQ(logs("?tail=2")->body, "b\nc\n");
  EXPECT_EQ(logs("?tail=0")->body, "");  // v1 keeps Docker's meaning: no lines
  EXPECT_EQ(logs("?since=0")->body, "a\nb\nc\n");
  EXPECT_EQ(Expect(logs("?tail=x"), 400)["code"], "invalid_argument");
}

TEST_F(V1ApiTest, ArtifactsAreListedAndUnknownOnesAre404) {
  std::string id = MakeHome();
  Json listed = Expect(service_.client().Get(("/v1/homes/" + id + "/nodes/hub/artifacts").c_str()), 200);
  EXPECT_TRUE(listed["artifacts"].is_array());
  Json missing = Expect(service_.client().Get(("/v1/homes/" + id + "/nodes/hub/artifacts?path=/nope").c_str()), 404);
  EXPECT_THAT(missing["message"].get<std::string>(), HasSubstr("no artifact '/nope'"));
  EXPECT_TRUE(Expect(service_.client().Get(("/v1/homes/" + id + "/artifacts").c_str()), 200)["artifacts"].is_array());
}

// The document served is the one checked in, and every route it names is
// one the service has (an unknown route says "no route").
TEST_F(V1ApiTest, TheOpenApiDocumentIsServedAndMatchesTheRoutes) {
  std::ifstream file("service/openapi.json");
  std::stringstream checked_in;
  checked_in << file.rdbuf();
  auto served = service_.client().Get("/v1/openapi.json");
  ASSERT_TRUE(served);
  EXPECT_EQ(Json::parse(served->body), Json::parse(checked_in.str()));
  Json document = Json::parse(served->body);
  int routes = 0;
  for (const auto& [path, operations] : document["paths"].items()) {
    std::string concrete = path;
    for (auto [from, to] : {std::pair<std::string, std::string>{"{home}", "nohome"}, {"{node}", "nonode"}}) {
      if (auto at = concrete.find(from); at != std::string::npos) concrete.replace(at, from.size(), to);
    }
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") continue;
      httplib::Result reply = method == "get"      ? service_.client().Get(concrete.c_str())
                              : method == "delete" ? service_.client().Delete(concrete.c_str())
                                                   : service_.client().Post(concrete.c_str(), "{}", "application/json");
      ASSERT_TRUE(reply) << method << " " << path;
      EXPECT_THAT(reply->body, ::testing::Not(HasSubstr("no route"))) << method << " " << path;
      ++routes;
    }
  }
  EXPECT_GE(routes, 14);
}

}  // namespace
}  // namespace cirque::service
