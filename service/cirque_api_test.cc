#include "service/cirque_api.h"

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

class CirqueApiTest : public ::testing::Test {
 protected:
  // POSTs a home and returns its id.
  std::string CreateHome(const std::string& spec) {
    auto reply = service_.client().Post("/create_home", spec, "application/json");
    EXPECT_TRUE(reply);
    if (!reply) return "";
    EXPECT_EQ(reply->status, 200) << reply->body;
    return Json::parse(reply->body).get<std::string>();
  }
  Json GetJson(const std::string& path, int status = 200) {
    auto reply = service_.client().Get(path);
    EXPECT_TRUE(reply) << path;
    if (!reply) return nullptr;
    EXPECT_EQ(reply->status, status) << path << ": " << reply->body;
    EXPECT_EQ(reply->get_header_value("Content-Type"), "application/json") << path;
    return Json::parse(reply->body);
  }

  testing::ServiceOnFake service_;
};

TEST_F(CirqueApiTest, CirqueClientFlow) {
  std::string id = CreateHome(R"({"ap": {"type": "wifi_ap", "capability": ["WiFi"]},
                                  "node1": {"type": "generic", "capability": ["WiFi", "Interactive"]},
                                  "plain": {"type": "generic"}})");
  EXPECT_THAT(GetJson("/get_homes"), ElementsAre(id));

  Json devices = GetJson("/home_devices/" + id);
  ASSERT_THAT(devices, SizeIs(3));
  std::map<std::string, Json> by_name;
  for (const auto& [device_id, state] : devices.items()) {
    EXPECT_EQ(state["id"], device_id);  // Cirque's device ids are container ids
    by_name[state["name"]] = state;
  }
  EXPECT_EQ(by_name["ap"]["type"], "wifi_ap");
  EXPECT_TRUE(by_name["node1"]["capability"].contains("Interactive"));
  EXPECT_TRUE(by_name["plain"]["capability"].empty());  // no "capability" key: a plain node
  EXPECT_FALSE(by_name["node1"]["description"]["ipv4_addr"].get<std::string>().empty());

  std::string node1 = by_name["node1"]["id"];
  EXPECT_EQ(GetJson("/device_state/" + id + "/" + node1)["name"], "node1");
  EXPECT_EQ(GetJson("/device_state/" + id + "/" + node1.substr(0, 12))["name"], "node1");
  EXPECT_EQ(GetJson("/device_state/" + id + "/node1")["id"], node1);
  EXPECT_THAT(GetJson("/wifi_ssid_psk/" + id), ElementsAre("toy-ssid", "toy passphrase"));

  service_.fake().AnswerExec({"bash", "-c", "echo a; echo b"}, {.exit_code = 3, .stdout_text = "a\nb\n"});
  Json ran = GetJson("/device_cmd/" + id + "/" + node1 + "/bash%20-c%20'echo%20a;%20echo%20b'");
  EXPECT_EQ(ran["return_code"], "3");
  EXPECT_EQ(ran["output"], "a\nb\n");

  EXPECT_EQ(GetJson("/stop_device/" + id + "/node1"), node1);
  EXPECT_THAT(GetJson("/home_devices/" + id), SizeIs(2));
  EXPECT_EQ(GetJson("/destroy_home/" + id), id);
  EXPECT_THAT(GetJson("/get_homes"), IsEmpty());
  EXPECT_THAT(service_.fake().LiveContainers(), IsEmpty());
}

TEST_F(CirqueApiTest, CommandsAreSplitLikeShlexAndKeepQuestionMarksAndHashes) {
  std::string id = CreateHome(R"({"n": {"type": "generic"}})");
  std::vector<std::string> seen;
  service_.fake().OnExec([&seen](const docker::testing::ExecCall& call) -> std::optional<docker::ExecResult> {
    if (call.argv.empty() || call.argv[0] != "ot-ctl") return std::nullopt;
    seen = call.argv;
    return docker::ExecResult{.exit_code = 0, .stdout_text = "Done\n"};
  });
  Json ran = GetJson("/device_cmd/" + id + "/n/ot-ctl%20ping%20%22fd00::1%22%20%23%20why%3F");
  EXPECT_EQ(ran["return_code"], "0");
  EXPECT_THAT(seen, ElementsAre("ot-ctl", "ping", "fd00::1", "#", "why?"));
}

TEST_F(CirqueApiTest, StreamedCommandOutputArrivesAsText) {
  std::string id = CreateHome(R"({"n": {"type": "generic"}})");
  service_.fake().AnswerExec({"cat", "/etc/motd"}, {.exit_code = 0, .stdout_text = "hello\n"});
  auto reply = service_.client().Get("/device_cmd/" + id + "/n/cat%20/etc/motd?stream=True");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "hello\n");
  EXPECT_THAT(reply->get_header_value("Content-Type"), HasSubstr("text/plain"));
}

TEST_F(CirqueApiTest, UnknownHomesAndDevicesAre404WithAJsonErrorNotAnEmpty200) {
  std::string id = CreateHome(R"({"hub": {"type": "generic"}})");
  for (const std::string& path : std::vector<std::string>{"/home_devices/nope", "/device_state/nope/x", "/wifi_ssid_psk/nope", "/device_cmd/nope/x/ls",
        "/stop_device/nope/x", "/device_log/nope/x", "/destroy_home/nope"}) {
    Json error = GetJson(path, 404);
    EXPECT_EQ(error["code"], "not_found") << path;
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("no home 'nope'")) << path;
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr(id)) << path;  // the homes there are
  }
  Json error = GetJson("/device_state/" + id + "/lamp", 404);
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("no device 'lamp'"));
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("hub"));
  EXPECT_EQ(GetJson("/wifi_ssid_psk/" + id, 404)["code"], "not_found");  // no AP in this home
}

TEST_F(CirqueApiTest, BadSpecsAre400NamingTheProblemAndMakeNothing) {
  struct Bad {
    std::string body, expected;
  };
  for (const Bad& bad : std::vector<Bad>{Bad{"{not json", "JSON"}, Bad{R"({"n": {"capability": ["Teleport"]}})", "Teleport"},
                         Bad{R"({"n": {"capability": "WiFi"}})", "capability"},
                         Bad{R"({"n": {"type": "generic", "colour": "red"}})", "colour"}, Bad{R"([1, 2])", ""}}) {
    auto reply = service_.client().Post("/create_home", bad.body, "application/json");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad.body << ": " << reply->body;
    Json error = Json::parse(reply->body);
    EXPECT_EQ(error["code"], "invalid_argument");
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr(bad.expected)) << bad.body;
  }
  EXPECT_THAT(GetJson("/get_homes"), IsEmpty());
  EXPECT_THAT(service_.fake().LiveContainers(), IsEmpty());
}

TEST_F(CirqueApiTest, DeviceLogTailZeroGivesTheWholeLogAndNonsenseIsRefused) {
  std::string id = CreateHome(R"({"n": {"type": "generic"}})");
  service_.fake().AppendLogs(GetJson("/device_state/" + id + "/n")["id"], "one\ntwo\nthree\n", "");
  auto log = [&](const std::string& query) { return service_.client().Get("/device_log/" + id + "/n" + query); };
  EXPECT_EQ(log("")->body, "one\ntwo\nthree\n");
  EXPECT_EQ(log("?tail=0")->body, "one\ntwo\nthree\n");
  EXPECT_EQ(log("?tail=1")->body, "three\n");
  auto bad = log("?tail=-3");
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("tail '-3'"));
}

TEST_F(CirqueApiTest, RootDescribesTheServiceAndDestroysNothing) {
  std::string id = CreateHome(R"({"n": {"type": "generic"}})");
  EXPECT_EQ(GetJson("/")["service"], "cirque");
  EXPECT_THAT(GetJson("/get_homes"), ElementsAre(id));
}

}  // namespace
}  // namespace cirque::service
