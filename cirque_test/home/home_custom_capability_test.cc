// A capability the core has never heard of, written as a user would write
// one: "Zigbee", with its own JSON key (zigbee_channel), its own engine
// requirement, and a home-scoped resource (a hub container the home's
// Zigbee nodes share). Covers, end to end on the in-memory engine, that the
// core gives such a capability everything the built-in ones get: parsing
// through the registry, the requirement checked by the probe, one hub per
// home, and the hub removed after the nodes and before the networks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <mutex>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using docker::testing::FakeDockerClient;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr const char* kHubRole = "zigbee-hub";

// The home's one Zigbee coordinator: a helper container of its own.
class ZigbeeHub : public HomeResource {
 public:
  explicit ZigbeeHub(HomeContext& home) : client_(home.client()) {
    docker::ContainerSpec spec;
    spec.image = testing::kFakeHelperImage;
    spec.name = home.ResourceName(kHubRole);
    spec.labels = home.ResourceLabels(kHubRole);
    id_ = client_.CreateContainer(spec);
    client_.StartContainer(id_);
  }
  ~ZigbeeHub() override {
    try {
      client_.RemoveContainer(id_, true);
    } catch (const std::exception&) {
      // Labelled with the home: the reaper removes it.
    }
  }

  void Join(const std::string& node, int channel) {
    client_.Exec(id_, {.cmd = {"zigbee-permit-join", node, std::to_string(channel)}});
  }

 private:
  docker::DockerClient& client_;
  std::string id_;
};

class Zigbee : public Capability {
 public:
  static constexpr const char* kKey = "zigbee_channel";

  // Reads and checks the node's zigbee_channel (11 to 26, as IEEE 802.15.4
  // numbers them on 2.4 GHz); 15 when unset.
  explicit Zigbee(const NodeSpec& node) {
    std::string text = node.Setting(kKey);
    if (text.empty()) return;
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (!value.is_number_integer() || value.get<int>() < 11 || value.get<int>() > 26) {
      throw Error(ErrorCode::kInvalidArgument,
                  "node '" + node.name + "': " + kKey + " " + text + " is not a channel from 11 to 26");
    }
    channel_ = value.get<int>();
  }

  std::string name() const override { return "Zigbee"; }
  std::vector<Requirement> Requirements() const override {
    return {{.kind = Requirement::Kind::kEngineFeature,
             .name = "zigbee-radio",
             .why = "for the hub's radio",
             .probe = "test -e /dev/ttyACM0",
             .fix = "plug the coordinator in"}};
  }
  void Prepare(HomeContext& home) override { Hub(home); }
  void Enable(NodeRuntime& node) override {
    Hub(node.home()).Join(node.node_name(), channel_);
    node.Exec({"zigbee-node", "--channel", std::to_string(channel_)}, std::chrono::seconds(5));
  }
  std::map<std::string, std::string> Describe() const override { return {{"channel", std::to_string(channel_)}}; }

 private:
  static ZigbeeHub& Hub(HomeContext& home) {
    return home.Resource<ZigbeeHub>("zigbee.hub", [&home] { return std::make_unique<ZigbeeHub>(home); });
  }

  int channel_ = 15;
};

void RegisterZigbee(CapabilityRegistry& registry) {
  registry.Register({.name = "Zigbee", .json_keys = {Zigbee::kKey}, .make = [](const NodeSpec& node) {
                       return std::make_unique<Zigbee>(node);
                     }});
}

constexpr const char* kHomeJson = R"({
  "bulb":   {"type": "generic", "capability": ["Zigbee"], "zigbee_channel": 20},
  "switch": {"capability": ["Zigbee"]},
  "laptop": {}
})";

class CustomCapabilityTest : public ::testing::Test {
 protected:
  CustomCapabilityTest() {
    engine::ForgetEngineFacts();
    RegisterZigbee(registry_);
  }

  // The names of containers ever created with cirque.role == role.
  std::vector<std::string> Created(const std::string& role) {
    std::vector<std::string> names;
    for (const auto& created : fake_.CreatedContainers()) {
      if (created.spec.labels.count(kRoleLabel) != 0 && created.spec.labels.at(kRoleLabel) == role) {
        names.push_back(created.name);
      }
    }
    return names;
  }

  // What parsing `json` throws, against `registry` (default: this test's).
  std::string ErrorFromParse(const std::string& json) { return ErrorFromParse(json, registry_); }
  static std::string ErrorFromParse(const std::string& json, const CapabilityRegistry& registry) {
    try {
      ParseHomeSpecJson(json, registry);
    } catch (const Error& error) {
      return error.what();
    }
    ADD_FAILURE() << "parsing did not throw: " << json;
    return "";
  }

  FakeDockerClient fake_;
  CapabilityRegistry registry_;
};

TEST_F(CustomCapabilityTest, ItsJsonKeyIsParsedThroughTheRegistry) {
  std::vector<NodeSpec> nodes = ParseHomeSpecJson(kHomeJson, registry_);
  ASSERT_THAT(nodes, SizeIs(3));
  std::map<std::string, NodeSpec> by_name;
  for (const auto& node : nodes) by_name[node.name] = node;
  EXPECT_EQ(by_name["bulb"].Setting("zigbee_channel"), "20");
  EXPECT_TRUE(by_name["switch"].HasCapability("Zigbee"));
  EXPECT_FALSE(by_name["laptop"].HasCapability("Zigbee"));
  EXPECT_EQ(registry_.OwnerOfKey("zigbee_channel"), "Zigbee");

  EXPECT_THAT(ErrorFromParse(R"({"bulb": {"capability": ["Zigbee"], "zigbee_channel": 30}})"),
              AllOf(HasSubstr("node 'bulb'"), HasSubstr("zigbee_channel 30"), HasSubstr("11 to 26")));
  EXPECT_THAT(ErrorFromParse(R"({"bulb": {"zigbee_channel": 20}})"),
              AllOf(HasSubstr("node 'bulb'"), HasSubstr("needs capability Zigbee")));
  // A registry without it does not know the key.
  EXPECT_THAT(ErrorFromParse(R"({"bulb": {"zigbee_channel": 20}})", CapabilityRegistry()),
              HasSubstr("unknown key 'zigbee_channel'"));
}

TEST_F(CustomCapabilityTest, TwoNodesShareOneHubWhichGoesAfterTheNodesAndBeforeTheNetworks) {
  std::mutex calls_mutex;
  std::vector<std::pair<std::string, std::string>> calls;  // GUARDED_BY(calls_mutex)
  fake_.BeforeCall([&](const std::string& operation, const std::string& target) {
    std::lock_guard<std::mutex> lock(calls_mutex);
    calls.emplace_back(operation, target);
  });

  auto home = VirtualHome::Create(testing::HomeOptionsOnFake(fake_, registry_, {{"zigbee-radio", true}}),
                                  ParseHomeSpecJson(kHomeJson, registry_));
  const std::string hub_name = home->ResourceName(kHubRole);
  EXPECT_THAT(Created(kHubRole), ElementsAre(hub_name));
  EXPECT_THAT(Created("probe"), SizeIs(1));
  EXPECT_EQ(home->engine().Has("zigbee-radio"), true);
  EXPECT_EQ(home->node("bulb").Describe().capability_details["Zigbee"]["channel"], "20");
  EXPECT_EQ(home->node("switch").Describe().capability_details["Zigbee"]["channel"], "15");

  // Both nodes joined the one hub, with their own channel.
  std::vector<std::vector<std::string>> joins;
  for (const auto& call : fake_.ExecCalls()) {
    if (call.container_name == hub_name) joins.push_back(call.argv);
  }
  EXPECT_THAT(joins, ::testing::UnorderedElementsAre(ElementsAre("zigbee-permit-join", "bulb", "20"),
                                                     ElementsAre("zigbee-permit-join", "switch", "15")));

  std::map<std::string, std::string> name_of;  // container id -> name
  for (const auto& created : fake_.CreatedContainers()) name_of[created.id] = created.name;
  {
    std::lock_guard<std::mutex> lock(calls_mutex);
    calls.clear();
  }
  home->Destroy();

  std::lock_guard<std::mutex> lock(calls_mutex);
  long hub_removed = -1, last_node_removed = -1, first_network_removed = -1;
  for (size_t i = 0; i < calls.size(); ++i) {
    const auto& [operation, target] = calls[i];
    if (operation == "RemoveContainer" && name_of[target] == hub_name) hub_removed = static_cast<long>(i);
    if (operation == "RemoveContainer" && name_of[target].starts_with("cirque-" + home->id() + "-")) {
      last_node_removed = static_cast<long>(i);
    }
    if (operation == "RemoveNetwork" && first_network_removed < 0) first_network_removed = static_cast<long>(i);
  }
  ASSERT_GE(hub_removed, 0);
  ASSERT_GE(last_node_removed, 0);
  ASSERT_GE(first_network_removed, 0);
  EXPECT_LT(last_node_removed, hub_removed);
  EXPECT_LT(hub_removed, first_network_removed);
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
  EXPECT_EQ(testing::LabelledNetworks(fake_), 0);
}

}  // namespace
}  // namespace cirque::home
