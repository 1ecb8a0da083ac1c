// A mixed home: a device with both radios, as many smart-home devices have
// (WiFi to the home's access point, Thread to battery-powered sensors).
// The device joins the AP over WiFi and gets a DHCP lease; it also forms a
// Thread network that a sensor joins; then it reaches the AP over WiFi and
// the sensor over the Thread mesh, from the same container.
//
// WiFi needs mac80211_hwsim, so this runs in the VM tier (tag vm); the
// `thread` image is built on the WiFi station image, so one node runs
// wpa_supplicant and ot-daemon side by side.
//   tools/test --tier vm
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/wifi_settings.h"
#include "fixtures/assertions.h"
#include "fixtures/thread_nodes.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/wifi_nodes.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::ThreadNode;
using cirque::testing::ThreadNodeSpec;
using cirque::testing::WifiAccessPointSpec;
using cirque::testing::WifiApNode;
using cirque::testing::WifiStationNode;
using ::testing::HasSubstr;

class WifiThreadDeviceTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {WifiAccessPointSpec("ap", {.ssid = "mixed-home", .passphrase = "thread and wifi"}),
            ThreadNodeSpec("device").WithCapability(cirque::capabilities::kWifi), ThreadNodeSpec("sensor")};
  }
};

TEST_F(WifiThreadDeviceTest, DeviceReachesTheApOverWifiAndASensorOverThread) {
  WifiApNode ap(node("ap"));
  WifiStationNode device_wifi(node("device"));
  ThreadNode device_thread(node("device")), sensor(node("sensor"));

  // Both radios are in the one container.
  cirque::docker::ExecResult links = node("device").Exec({"ip", "-o", "link"});
  EXPECT_THAT(links.stdout_text, HasSubstr("wlan0"));
  EXPECT_THAT(links.stdout_text, HasSubstr("wpan0"));

  std::string dataset = device_thread.FormNetwork();
  sensor.Command({"routereligible", "disable"});
  sensor.JoinNetwork(dataset);

  device_wifi.Connect(ap);
  ASSERT_ASSOCIATED(device_wifi, ap);
  ASSERT_DHCP_LEASE(device_wifi);
  EXPECT_PING(device_wifi, ap);

  ASSERT_THREAD_ROLE(sensor, "child");
  EXPECT_THREAD_ROLE(device_thread, "leader");
  EXPECT_THREAD_PARTITION({&device_thread, &sensor});
  EXPECT_PING(sensor, device_thread);
  EXPECT_PING(device_thread, sensor);
}

}  // namespace
