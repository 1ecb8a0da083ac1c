// Covers Cirque's JSON node specs: a full valid home, and a table of
// invalid specs, each with the clear error it must give.
#include "cirque_test/home/node_spec_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using ::testing::HasSubstr;

TEST(ParseHomeSpecJsonTest, ReadsCirquesFormat) {
  std::vector<NodeSpec> nodes = ParseHomeSpecJson(R"({
    "ap": {"type": "wifi_ap", "base_image": "wifi-ap", "capability": ["WiFi", "LanAccess"]},
    "device": {"type": "generic", "capability": ["TrafficControl", "Mount", "Weave", "Thread"],
               "docker_network": "Internal",
               "traffic_control": {"latencyMs": 50, "jitterMs": 5, "loss": 2.5, "rateKbit": 512},
               "mount_pairs": [["/tmp/a", "/mnt/a"]],
               "weave_config_file": "/etc/cert.pem", "weave_config_target_path": "/cert",
               "rcp_mode": true, "thread_petition": "p1"}})");
  ASSERT_EQ(nodes.size(), 2u);
  const NodeSpec& ap = nodes[0];
  EXPECT_EQ(ap.name, "ap");
  EXPECT_EQ(ap.ImageName(), "wifi-ap");
  EXPECT_TRUE(ap.HasCapability("LanAccess"));
  const NodeSpec& device = nodes[1];
  EXPECT_EQ(device.ImageName(), "generic");
  EXPECT_EQ(device.network, HomeNetwork::kInternal);
  EXPECT_EQ(device.traffic.latency_ms, 50);
  EXPECT_EQ(device.traffic.jitter_ms, 5);
  EXPECT_DOUBLE_EQ(device.traffic.loss_percent, 2.5);
  EXPECT_EQ(device.traffic.rate_kbit, 512);
  EXPECT_EQ(device.mounts.at(0).container_path, "/mnt/a");
  EXPECT_EQ(device.weave_config_target_path, "/cert");
  EXPECT_EQ(device.extra.at("rcp_mode"), "true");
  EXPECT_EQ(device.extra.at("thread_petition"), "p1");
}

TEST(ParseHomeSpecJsonTest, RoundTripsThroughJson) {
  NodeSpec spec = NodeSpec::Named("n").WithCapability("TrafficControl").Shaped({.latency_ms = 10});
  NodeSpec back = ParseNodeSpecJson("n", NodeSpecToJson(spec));
  EXPECT_EQ(back.traffic.latency_ms, 10);
  EXPECT_EQ(back.capabilities, spec.capabilities);
}

struct InvalidSpec {
  const char* json;
  std::vector<const char*> message_parts;
};

void PrintTo(const InvalidSpec& spec, std::ostream* out) { *out << spec.json; }

class InvalidSpecTest : public ::testing::TestWithParam<InvalidSpec> {};

TEST_P(InvalidSpecTest, GivesAClearError) {
  try {
    ParseHomeSpecJson(GetParam().json);
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
        InvalidSpec{R"({"n": {"rcp_mode": [1]}})", {"rcp_mode", "[1]", "string, number or boolean"}}));

}  // namespace
}  // namespace cirque::home
