// Cirque's JSON node specs as the core reads them: its own keys, and keys
// that belong to a registered capability (a test-only one here).
#include "cirque_test/home/node_spec_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class Plain : public Capability {
 public:
  explicit Plain(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }

 private:
  std::string name_;
};

// "Zigbee" reads "zigbee_channel", a number in 11..26.
void RegisterTestCapabilities(CapabilityRegistry& registry) {
  registry.Register({.name = "Zigbee", .json_keys = {"zigbee_channel"}, .make = [](const NodeSpec& node) {
                       std::string channel = node.Setting("zigbee_channel");
                       if (!channel.empty() && (std::stoi(channel) < 11 || std::stoi(channel) > 26)) {
                         throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': zigbee_channel " +
                                                                      channel + " is not in 11..26");
                       }
                       return std::make_unique<Plain>("Zigbee");
                     }});
  registry.Register("Interactive", [](const NodeSpec&) { return std::make_unique<Plain>("Interactive"); });
}

const CapabilityRegistry& TestRegistry() {
  static CapabilityRegistry* registry = [] {
    auto* made = new CapabilityRegistry();
    RegisterTestCapabilities(*made);
    return made;
  }();
  return *registry;
}

std::string ErrorFrom(const std::string& json) {
  try {
    ParseHomeSpecJson(json, TestRegistry());
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    return error.what();
  }
  return "(accepted)";
}

TEST(ParseNodeSpecJsonTest, ReadsCoreKeysAndACapabilitysOwn) {
  std::vector<NodeSpec> nodes = ParseHomeSpecJson(R"({
    "hub": {"type": "generic", "base_image": "img:1", "capability": ["Interactive"],
            "docker_network": "Ipv6", "command": ["sleep", "9"], "env": ["A=b"]},
    "bulb": {"capability": ["Zigbee"], "zigbee_channel": 15}})", TestRegistry());
  ASSERT_EQ(nodes.size(), 2u);
  const NodeSpec& bulb = nodes[0];
  EXPECT_EQ(bulb.name, "bulb");
  EXPECT_EQ(bulb.Setting("zigbee_channel"), "15");
  const NodeSpec& hub = nodes[1];
  EXPECT_EQ(hub.ImageName(), "img:1");
  EXPECT_EQ(hub.network, HomeNetwork::kIpv6);
  EXPECT_EQ(hub.command, (std::vector<std::string>{"sleep", "9"}));
  EXPECT_EQ(hub.env, (std::vector<std::string>{"A=b"}));
}

// Every field of a fully populated spec survives the trip.
TEST(ParseNodeSpecJsonTest, RoundTripsEveryField) {
  NodeSpec spec = NodeSpec::Named("bulb")
                      .Type("lamp")
                      .Image("lamp:2")
                      .WithCapability("Zigbee")
                      .WithCapability("Interactive")
                      .OnNetwork(HomeNetwork::kInternal)
                      .Running({"run", "--fast"})
                      .WithSetting("zigbee_channel", "20");
  spec.env = {"X=1", "Y=2"};
  NodeSpec back = ParseNodeSpecJson("bulb", NodeSpecToJson(spec), TestRegistry());
  EXPECT_EQ(back, spec);
}

TEST(ParseNodeSpecJsonTest, KeysNobodyReadsAreNamed) {
  EXPECT_THAT(ErrorFrom(R"({"n": {"colour": "red"}})"),
              AllOf(HasSubstr("node 'n'"), HasSubstr("unknown key 'colour'"), HasSubstr("\"red\""),
                    HasSubstr("allowed keys"), HasSubstr("base_image"), HasSubstr("zigbee_channel")));
}

TEST(ParseNodeSpecJsonTest, ACapabilitysKeyNeedsTheCapability) {
  EXPECT_THAT(ErrorFrom(R"({"n": {"zigbee_channel": 15}})"),
              AllOf(HasSubstr("zigbee_channel"), HasSubstr("needs capability Zigbee")));
}

TEST(ParseNodeSpecJsonTest, TheCapabilityValidatesItsSettings) {
  EXPECT_THAT(ErrorFrom(R"({"n": {"capability": ["Zigbee"], "zigbee_channel": 40}})"),
              AllOf(HasSubstr("node 'n'"), HasSubstr("zigbee_channel 40"), HasSubstr("11..26")));
}

TEST(ParseNodeSpecJsonTest, UnregisteredCapabilitiesAreNamed) {
  EXPECT_THAT(ErrorFrom(R"({"n": {"capability": ["Lora"]}})"),
              AllOf(HasSubstr("'Lora'"), HasSubstr("not registered"), HasSubstr("Zigbee")));
}

TEST(ParseNodeSpecJsonTest, CoreErrors) {
  EXPECT_THAT(ErrorFrom("not json"), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorFrom("[]"), HasSubstr("not a non-empty object"));
  EXPECT_THAT(ErrorFrom(R"({"n": {"type": 7}})"), AllOf(HasSubstr("type"), HasSubstr("not a string")));
  EXPECT_THAT(ErrorFrom(R"({"n": {"docker_network": "Bridge"}})"), HasSubstr("Internal, Ipv6, IpvLan"));
  EXPECT_THAT(ErrorFrom(R"({"n": {"capability": ["Zigbee", "Zigbee"]}})"), HasSubstr("twice"));
  EXPECT_THAT(ErrorFrom(R"({"Bad_Name": {}})"), HasSubstr("node name 'Bad_Name'"));
}

TEST(CapabilityRegistryTest, AKeyBelongsToOneCapability) {
  CapabilityRegistry registry;
  RegisterTestCapabilities(registry);
  EXPECT_THROW(registry.Register({.name = "Other", .json_keys = {"zigbee_channel"},
                                  .make = [](const NodeSpec&) { return std::make_unique<Plain>("Other"); }}),
               Error);
  EXPECT_THROW(registry.Register({.name = "Typed", .json_keys = {"type"},
                                  .make = [](const NodeSpec&) { return std::make_unique<Plain>("Typed"); }}),
               Error);
  EXPECT_EQ(registry.OwnerOfKey("zigbee_channel"), "Zigbee");
}

}  // namespace
}  // namespace cirque::home
