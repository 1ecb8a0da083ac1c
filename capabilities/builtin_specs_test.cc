// Cirque's JSON node specs with the built-in capabilities: a full valid
// home, and a table of invalid specs, each with the clear error it must give.
#include "cirque_test/home/node_spec_json.h"

#include "capabilities/builtin_capabilities.h"
#include "capabilities/mount.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::capabilities {
using home::NodeSpec;
using home::HomeNetwork;
using home::ParseHomeSpecJson;
using home::ParseNodeSpecJson;
using home::NodeSpecToJson;
namespace {

using ::testing::HasSubstr;

TEST(ParseHomeSpecJsonTest, ReadsCirquesFormat) {
  std::vector<NodeSpec> nodes = ParseHomeSpecJson(R"({
    "ap": {"type": "wifi_ap", "base_image": "wifi-ap", "capability": ["WiFi", "LanAccess"]},
    "device": {"type": "generic", "capability": ["TrafficControl", "Mount", "Weave"],
               "docker_network": "Internal",
               "traffic_control": {"latencyMs": 50, "jitterMs": 5, "loss": 2.5, "rateKbit": 512},
               "mount_pairs": [["/tmp/a", "/mnt/a"]],
               "weave_config_file": "/etc/cert.pem", "weave_config_target_path": "/cert"}})",
                                                  BuiltinCapabilities());
  ASSERT_EQ(nodes.size(), 2u);
  const NodeSpec& ap = nodes[0];
  EXPECT_EQ(ap.name, "ap");
  EXPECT_EQ(ap.ImageName(), "wifi-ap");
  EXPECT_TRUE(ap.HasCapability("LanAccess"));
  const NodeSpec& device = nodes[1];
  EXPECT_EQ(device.ImageName(), "generic");
  EXPECT_EQ(device.network, HomeNetwork::kInternal);
  TrafficShape traffic = TrafficShapeOf(device);
  EXPECT_EQ(traffic.latency_ms, 50);
  EXPECT_EQ(traffic.jitter_ms, 5);
  EXPECT_DOUBLE_EQ(traffic.loss_percent, 2.5);
  EXPECT_EQ(traffic.rate_kbit, 512);
  EXPECT_EQ(MountsOf(device).at(0).container_path, "/mnt/a");
  EXPECT_EQ(WeaveSettingsOf(device).target_path, "/cert");
}

TEST(ParseHomeSpecJsonTest, RoundTripsThroughJson) {
  NodeSpec spec = NodeSpec::Named("n")
                      .With(TrafficShape{.latency_ms = 10})
                      .With(MountPair{"/tmp/a", "/a", /*read_only=*/true})
                      .With(WeaveSettings{.config_file = "/etc/cert.pem"});
  NodeSpec back = ParseNodeSpecJson("n", NodeSpecToJson(spec), BuiltinCapabilities());
  EXPECT_EQ(back, spec);
  EXPECT_EQ(TrafficShapeOf(back).latency_ms, 10);
  EXPECT_TRUE(MountsOf(back).at(0).read_only);
}

struct InvalidSpec {
  const char* json;
  std::vector<const char*> message_parts;
};

void PrintTo(const InvalidSpec& spec, std::ostream* out) { *out << spec.json; }

class InvalidSpecTest : public ::testing::TestWithParam<InvalidSpec> {};

TEST_P(InvalidSpecTest, GivesAClearError) {
  try {
    ParseHomeSpecJson(GetParam().json, BuiltinCapabilities());
    FAIL() << "accepted: " << GetParam().json;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    for (const char* part : GetParam().message_parts) EXPECT_THAT(error.what(), HasSubstr(part));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidSpecTest,
    ::testing::Values(
        InvalidSpec{"not json", {"not valid JSON"}},
        InvalidSpec{"[]", {"not a non-empty object"}},
        InvalidSpec{"{}", {"not a non-empty object"}},
        InvalidSpec{R"({"n": {"colour": "red"}})", {"node 'n'", "unknown key 'colour'", "\"red\"", "allowed keys", "base_image"}},
        InvalidSpec{R"({"n": {"type": 7}})", {"node 'n'", "type", "7", "not a string"}},
        InvalidSpec{R"({"n": {"capability": "WiFi"}})", {"capability", "\"WiFi\"", "not a list"}},
        InvalidSpec{R"({"n": {"docker_network": "Bridge"}})", {"docker_network", "\"Bridge\"", "Internal, Ipv6, IpvLan"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"loss": 150}}})", {"traffic_control.loss", "150", "0..100"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"latencyMs": -5}}})", {"latencyMs", "-5", "negative"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"latencyMs": 1.5}}})", {"latencyMs", "1.5", "whole number"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"jitterMs": 5}}})", {"jitterMs", "latencyMs"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"delay": 5}}})", {"unknown key 'traffic_control.delay'", "latencyMs"}},
        InvalidSpec{R"({"n": {"traffic_control": {"latencyMs": 5}}})", {"traffic_control", "needs capability TrafficControl"}},
        InvalidSpec{R"({"n": {"capability": ["Mount"], "mount_pairs": [["relative", "/x"]]}})", {"mount_pairs host path", "'relative'", "absolute"}},
        InvalidSpec{R"({"n": {"capability": ["Mount"], "mount_pairs": [["/a"]]}})", {"mount_pairs[]", "[\"/a\"]", "pair"}},
        InvalidSpec{R"({"n": {"capability": ["Weave"]}})", {"weave_config_file", "absolute host path"}},
        InvalidSpec{R"({"n": {"capability": ["Mount", "Mount"]}})", {"capability", "'Mount'", "twice"}},
        InvalidSpec{R"({"Bad_Name": {}})", {"node name 'Bad_Name'", "a-z"}},
        // Thread's keys are unknown until a Thread capability is registered.
        InvalidSpec{R"({"n": {"rcp_mode": [1]}})", {"unknown key 'rcp_mode'", "[1]", "allowed keys"}}));

}  // namespace
}  // namespace cirque::capabilities
