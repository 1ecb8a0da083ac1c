// Cirque's JSON node specs with the built-in capabilities: a full valid
// home, and a table of invalid specs, each with the clear error it must give.
#include "cirque_test/home/node_spec_json.h"

#include "capabilities/builtin_capabilities.h"
#include "capabilities/mount.h"
#include "capabilities/thread/thread_settings.h"
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

// As Matter's Cirque tests wrote their Thread nodes.
TEST(ParseHomeSpecJsonTest, ReadsCirquesThreadKeys) {
  std::vector<NodeSpec> nodes = ParseHomeSpecJson(R"({
    "device": {"type": "thread", "capability": ["Thread", "Interactive"], "rcp_mode": true},
    "far": {"type": "thread", "capability": ["Thread"], "thread_petition": 2, "thread_daemon": "none"},
    "ncp": {"type": "thread", "capability": ["Thread"], "rcp_mode": false},
    "fast": {"type": "thread", "capability": ["Thread"], "thread": {"device": "/dev/ttyACM0", "time_speed": 10}}})",
                                                  BuiltinCapabilities());
  ASSERT_EQ(nodes.size(), 4u);
  auto named = [&nodes](const std::string& name) {
    for (const auto& node : nodes) {
      if (node.name == name) return ThreadSettingsOf(node);
    }
    throw Error(ErrorCode::kNotFound, name);
  };
  ThreadSettings device = named("device");
  EXPECT_TRUE(device.rcp_mode);
  EXPECT_EQ(device.petition, 0);
  EXPECT_EQ(device.HostStack(), "ot-daemon");
  EXPECT_EQ(device.device, "/dev/ttyUSB0");
  ThreadSettings far = named("far");
  EXPECT_EQ(far.petition, 2);
  EXPECT_EQ(far.HostStack(), "none");
  ThreadSettings ncp = named("ncp");
  EXPECT_FALSE(ncp.rcp_mode);
  EXPECT_EQ(ncp.HostStack(), "none");
  ThreadSettings fast = named("fast");
  EXPECT_EQ(fast.device, "/dev/ttyACM0");
  EXPECT_EQ(fast.time_speed, 10);
}

TEST(ParseHomeSpecJsonTest, RoundTripsThroughJson) {
  NodeSpec spec = NodeSpec::Named("n")
                      .With(TrafficShape{.latency_ms = 10})
                      .With(MountPair{"/tmp/a", "/a", /*read_only=*/true})
                      .With(WeaveSettings{.config_file = "/etc/cert.pem"})
                      .With(ThreadSettings{.petition = 3, .rcp_mode = false, .daemon = "none", .time_speed = 10});
  NodeSpec back = ParseNodeSpecJson("n", NodeSpecToJson(spec), BuiltinCapabilities());
  EXPECT_EQ(back, spec);
  EXPECT_EQ(TrafficShapeOf(back).latency_ms, 10);
  EXPECT_TRUE(MountsOf(back).at(0).read_only);
  EXPECT_EQ(ThreadSettingsOf(back).petition, 3);
  EXPECT_EQ(ThreadSettingsOf(back).time_speed, 10);
}

// 256 characters, one more than any name or reference may have.
#define LONG_256                                                                                          \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

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
        InvalidSpec{R"({"n": {"rcp_mode": true}})", {"rcp_mode", "needs capability Thread"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "rcp_mode": [1]}})", {"node 'n'", "rcp_mode", "[1]"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread_petition": 5000}})", {"thread_petition", "5000", "0..1000"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread_petition": "a"}})", {"thread_petition", "\"a\""}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread_daemon": "wpantund"}})", {"thread_daemon", "\"wpantund\"", "ot-daemon, otbr-agent, none"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "rcp_mode": false, "thread_daemon": "ot-daemon"}})", {"thread_daemon", "needs an RCP", "none"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": {"device": "/tmp/tty"}}})", {"thread.device", "/tmp/tty", "under /dev/"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": {"device": "/dev/tty;rm"}}})", {"thread.device", "/dev/tty;rm"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": {"time_speed": 0}}})", {"thread.time_speed", "0", "1 (real time) to 100"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": {"speed": 2}}})", {"unknown key 'thread.speed'", "time_speed"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "docker_network": "IpvLan"}})", {"docker_network", "IpvLan", "other homes'"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": {"time_speed": 101}}})", {"thread.time_speed", "101", "1 (real time) to 100"}},
        InvalidSpec{R"({"n": {"capability": ["Thread"], "thread": "fast"}})", {"thread", "\"fast\""}},
        // WiFi: every key's type and range, control characters, long values.
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": "x"}})", {"node 'n'", "wifi", "\"x\"", "not an object"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"bssid": "02:00:00:00:00:01"}}})", {"unknown key 'wifi.bssid'", "ssid"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"security": "wep"}}})", {"wifi.security", "wep", "open, wpa2, wpa3"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"security": 2}}})", {"wifi.security", "2", "not a string"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"channel": 14}}})", {"wifi.channel", "14", "1..11"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"channel": "6"}}})", {"wifi.channel", "\"6\"", "not a number"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"channel": 1e12}}})", {"wifi.channel", "whole number"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"hidden": "yes"}}})", {"wifi.hidden", "\"yes\"", "true or false"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"mode": "mesh"}}})", {"wifi.mode", "mesh", "router, bridge"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"ssid": "0123456789abcdef0123456789abcdefX"}}})", {"wifi.ssid", "longer than 32 bytes"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"passphrase": "short"}}})", {"wifi.passphrase", "8 to 63"}},
        InvalidSpec{R"({"n": {"capability": ["WiFi"], "wifi": {"passphrase": "line\nbreak!"}}})", {"wifi.passphrase"}},
        InvalidSpec{R"({"n": {"wifi": {"ssid": "home"}}})", {"wifi", "needs capability WiFi"}},
        // TrafficControl, Mount, Weave: types.
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": [5]}})", {"traffic_control", "[5]"}},
        InvalidSpec{R"({"n": {"capability": ["TrafficControl"], "traffic_control": {"loss": "5%"}}})", {"traffic_control.loss", "\"5%\""}},
        InvalidSpec{R"({"n": {"capability": ["Mount"], "mount_pairs": "/a:/b"}})", {"mount_pairs", "\"/a:/b\""}},
        InvalidSpec{R"({"n": {"capability": ["Mount"], "mount_pairs": [["/a", "relative"]]}})", {"mount_pairs", "'relative'", "absolute"}},
        InvalidSpec{R"({"n": {"capability": ["Weave"], "weave_config_file": 7}})", {"weave_config_file", "7"}},
        // The core's keys: control characters, very long strings, types.
        InvalidSpec{R"({"n": {"type": "wifi\tap"}})", {"node 'n'", "type 'wifi\\x09ap'", "printable"}},
        InvalidSpec{R"({"n": {"base_image": "img\u0007:1"}})", {"base_image 'img\\x07:1'", "repo/name:tag"}},
        InvalidSpec{R"({"n": {"base_image": ")" LONG_256 R"("}})", {"base_image", "(256 characters)", "255"}},
        InvalidSpec{R"({"n": {"env": ["NOVALUE"]}})", {"env entry 'NOVALUE'", "KEY=value"}},
        InvalidSpec{R"({"n": {"env": ["1X=2"]}})", {"env entry '1X=2'", "KEY=value"}},
        InvalidSpec{R"({"n": {"env": ["A=b\u0000c"]}})", {"env entry 'A=b\\x00c'", "NUL"}},
        InvalidSpec{R"({"n": {"env": "A=b"}})", {"env", "not a list of strings"}},
        InvalidSpec{R"({"n": {"command": ["sh", 7]}})", {"command[] 7", "not a string"}},
        InvalidSpec{R"({"n": {"command": ["echo", "a\u0000b"]}})", {"command argument", "NUL"}},
        InvalidSpec{R"({"n": {"capability": [7]}})", {"capability[] 7", "not a string"}},
        InvalidSpec{R"({")" LONG_256 R"(": {}})", {"node name", "(256 characters)", "1 to 40"}},
        InvalidSpec{R"({"n\u001b[31m": {}})", {"node name 'n\\x1b[31m'", "a-z"}}));

}  // namespace
}  // namespace cirque::capabilities
