// DeviceSpecification to NodeSpec and back, against the built-in
// capabilities: the real parsers decide what is valid.
#include "service/device_specification.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "capabilities/builtin_capabilities.h"
#include "capabilities/mount.h"
#include "capabilities/thread/thread_settings.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"
#include "capabilities/xvnc/xvnc_settings.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every capability the built-ins have, each field set.
proto::DeviceSpecification FullSpecification() {
  proto::DeviceSpecification device;
  device.set_device_type("thread");
  device.set_base_image("cirque/thread:1");
  device.mutable_weave_capability()->set_weave_certificate_path("/etc/cert.pem");
  device.mutable_weave_capability()->set_target_path("/cert");
  device.mutable_thread_capability()->set_petition_id(3);
  device.mutable_thread_capability()->set_rcp_mode(true);
  device.mutable_thread_capability()->add_daemons("otbr-agent");
  device.mutable_wifi_capability();
  device.mutable_xvnc_capability()->set_localhost(true);
  device.mutable_xvnc_capability()->set_display_id(3);
  device.mutable_xvnc_capability()->set_docker_display_id(1);
  device.mutable_interactive_capability();
  device.mutable_lan_access_capability()->set_internal_lan(true);
  auto* pair = device.mutable_mount_capability()->add_mount_pairs();
  pair->set_host_path("/tmp/a");
  pair->set_target_path("/mnt/a");
  pair->set_read_only(true);
  device.mutable_trafficcontrol_capability()->set_latency_ms(50);
  device.mutable_trafficcontrol_capability()->set_loss_rate(2);
  return device;
}

std::string RefusalOf(const proto::DeviceSpecification& device) {
  try {
    NodeSpecFromDevice("n", device, capabilities::BuiltinCapabilities());
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << device.DebugString();
  return "";
}

TEST(DeviceSpecificationTest, EveryFieldBecomesItsCirqueKey) {
  home::NodeSpec spec = NodeSpecFromDevice("n", FullSpecification(), capabilities::BuiltinCapabilities());
  EXPECT_EQ(spec.name, "n");
  EXPECT_EQ(spec.type, "thread");
  EXPECT_EQ(spec.base_image, "cirque/thread:1");
  EXPECT_THAT(spec.capabilities,
              ElementsAre("Weave", "Thread", "WiFi", "Xvnc", "Interactive", "LanAccess", "Mount", "TrafficControl"));
  EXPECT_EQ(spec.network, home::HomeNetwork::kInternal);
  capabilities::ThreadSettings thread = capabilities::ThreadSettingsOf(spec);
  EXPECT_EQ(thread.petition, 3);
  EXPECT_TRUE(thread.rcp_mode);
  EXPECT_EQ(thread.daemon, "otbr-agent");  // Cirque dropped it
  capabilities::TrafficShape traffic = capabilities::TrafficShapeOf(spec);
  EXPECT_EQ(traffic.latency_ms, 50);
  EXPECT_DOUBLE_EQ(traffic.loss_percent, 2);
  std::vector<capabilities::MountPair> mounts = capabilities::MountsOf(spec);
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].container_path, "/mnt/a");
  EXPECT_TRUE(mounts[0].read_only);
  EXPECT_EQ(capabilities::WeaveSettingsOf(spec).config_file, "/etc/cert.pem");
  capabilities::XvncSettings xvnc = capabilities::XvncSettingsOf(spec);
  EXPECT_TRUE(xvnc.localhost);
  EXPECT_EQ(xvnc.display_id, 3);
  EXPECT_EQ(xvnc.docker_display_id, 1);
}

TEST(DeviceSpecificationTest, ANodesSpecificationIsTheOneItWasMadeFrom) {
  proto::DeviceSpecification device = FullSpecification();
  proto::DeviceSpecification back =
      DeviceSpecificationOf(NodeSpecFromDevice("n", device, capabilities::BuiltinCapabilities()));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(device, back)) << "sent:\n"
                                                                                << device.DebugString() << "got back:\n"
                                                                                << back.DebugString();
}

TEST(DeviceSpecificationTest, AnEmptySpecificationIsAPlainGenericNode) {
  home::NodeSpec spec = NodeSpecFromDevice("n", {}, capabilities::BuiltinCapabilities());
  EXPECT_EQ(spec.type, "generic");
  EXPECT_TRUE(spec.capabilities.empty());
  EXPECT_EQ(spec.network, home::HomeNetwork::kDefault);
}

// A node made over REST reports its settings too; Thread's rcp_mode as the
// capability reads a spec without it.
TEST(DeviceSpecificationTest, ARestNodeReportsItsSettings) {
  home::NodeSpec spec = home::ParseNodeSpecJson(
      "n", R"({"type": "thread", "capability": ["Thread"], "thread_petition": 1, "thread_daemon": "none"})",
      capabilities::BuiltinCapabilities());
  proto::DeviceSpecification device = DeviceSpecificationOf(spec);
  ASSERT_TRUE(device.has_thread_capability());
  EXPECT_EQ(device.thread_capability().petition_id(), 1);
  EXPECT_TRUE(device.thread_capability().rcp_mode());
  EXPECT_THAT(device.thread_capability().daemons(), ElementsAre("none"));
  EXPECT_FALSE(device.has_wifi_capability());
}

TEST(DeviceSpecificationTest, BadValuesAreRefusedNamingKeyFieldAndValue) {
  proto::DeviceSpecification lossy;
  lossy.mutable_trafficcontrol_capability()->set_loss_rate(-5);
  EXPECT_THAT(RefusalOf(lossy),
              AllOf(HasSubstr("traffic_control.loss"), HasSubstr("specification.trafficcontrol_capability.loss_rate"),
                    HasSubstr("-5"), HasSubstr("negative")));

  proto::DeviceSpecification unknown_daemon;
  unknown_daemon.mutable_thread_capability()->set_rcp_mode(true);
  unknown_daemon.mutable_thread_capability()->add_daemons("wpantund");
  EXPECT_THAT(RefusalOf(unknown_daemon), AllOf(HasSubstr("specification.thread_capability.daemons"),
                                               HasSubstr("\"wpantund\""), HasSubstr("ot-daemon, otbr-agent, none")));

  proto::DeviceSpecification two_daemons;
  two_daemons.mutable_thread_capability()->add_daemons("wpantund");
  two_daemons.mutable_thread_capability()->add_daemons("otbr-agent");
  EXPECT_THAT(RefusalOf(two_daemons),
              AllOf(HasSubstr("thread_capability.daemons"), HasSubstr("[\"wpantund\",\"otbr-agent\"]"),
                    HasSubstr("names 2 host stacks")));

  proto::DeviceSpecification relative_mount;
  relative_mount.mutable_mount_capability()->add_mount_pairs()->set_host_path("tmp/a");
  EXPECT_THAT(RefusalOf(relative_mount),
              AllOf(HasSubstr("specification.mount_capability.mount_pairs"), HasSubstr("'tmp/a'")));

  proto::DeviceSpecification far_petition;
  far_petition.mutable_thread_capability()->set_petition_id(5000);
  EXPECT_THAT(RefusalOf(far_petition),
              AllOf(HasSubstr("specification.thread_capability.petition_id"), HasSubstr("5000"), HasSubstr("0..1000")));
}

TEST(DeviceSpecificationTest, ACapabilityTheServiceLacksIsRefusedNamingTheField) {
  home::CapabilityRegistry without_xvnc;
  without_xvnc.Register("Interactive", [](const home::NodeSpec&) { return nullptr; });
  proto::DeviceSpecification xvnc;
  xvnc.mutable_xvnc_capability()->set_display_id(1);
  try {
    NodeSpecFromDevice("n", xvnc, without_xvnc);
    ADD_FAILURE() << "accepted Xvnc from a registry without it";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("specification.xvnc_capability"), HasSubstr("Xvnc"),
                                    HasSubstr("it has: Interactive"), HasSubstr("leave xvnc_capability unset")));
  }
}

TEST(DeviceSpecificationTest, XvncIsAcceptedWithCirquesKeysAndItsBadValuesRefused) {
  proto::DeviceSpecification phone;
  phone.mutable_xvnc_capability()->set_localhost(false);
  home::NodeSpec spec = NodeSpecFromDevice("phone", phone, capabilities::BuiltinCapabilities());
  EXPECT_THAT(spec.capabilities, ElementsAre("Xvnc"));
  EXPECT_FALSE(capabilities::XvncSettingsOf(spec).localhost);
  EXPECT_EQ(capabilities::XvncSettingsOf(spec).display_id, 0);

  proto::DeviceSpecification far;
  far.mutable_xvnc_capability()->set_display_id(70000);
  EXPECT_THAT(RefusalOf(far), AllOf(HasSubstr("specification.xvnc_capability.display_id"), HasSubstr("70000"),
                                    HasSubstr("0..4095")));
}

}  // namespace
}  // namespace cirque::service
