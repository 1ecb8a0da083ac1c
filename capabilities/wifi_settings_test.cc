// The WiFi settings a node spec may carry, and the errors for those the
// simulated radios cannot serve.
#include "capabilities/wifi_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/wifi_parsing.h"
#include "cirque_test/util/error.h"

namespace cirque::capabilities {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ErrorFor(const WifiSettings& wifi) {
  home::NodeSpec spec = home::NodeSpec::Named("ap").Type(kWifiApType).With(wifi);
  try {
    WifiSettingsOf(spec);
  } catch (const Error& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(WifiSettingsTest, RefusesChannelsAndModesTheRadiosDoNotServe) {
  EXPECT_THAT(ErrorFor({.channel = 13}), AllOf(HasSubstr("wifi.channel"), HasSubstr("13"), HasSubstr("36, 40")));
  EXPECT_THAT(ErrorFor({.mode = "mesh"}), AllOf(HasSubstr("wifi.mode"), HasSubstr("mesh"), HasSubstr("router, bridge")));
  EXPECT_EQ(ErrorFor({.channel = 149}), "(accepted)");
  EXPECT_EQ(WifiChannelFrequency(149), 5745);
}

TEST(WifiSettingsTest, RoundTripsThroughTheSpec) {
  WifiSettings wifi{.ssid = "home", .passphrase = "12345678", .security = "wpa3", .channel = 36,
                    .hidden = true, .mode = "bridge"};
  home::NodeSpec spec = home::NodeSpec::Named("ap").With(wifi);
  EXPECT_TRUE(spec.HasCapability("WiFi"));
  WifiSettings back = WifiSettingsOf(spec);
  EXPECT_EQ(back.ssid, "home");
  EXPECT_EQ(back.passphrase, "12345678");
  EXPECT_EQ(back.security, "wpa3");
  EXPECT_EQ(back.channel, 36);
  EXPECT_TRUE(back.hidden);
  EXPECT_EQ(back.mode, "bridge");
}

// A passphrase is written into hostapd's and wpa_supplicant's
// configuration: a newline would start a directive of its own.
TEST(WifiSettingsTest, RefusesAPassphraseThatCouldInjectConfiguration) {
  EXPECT_THAT(ErrorFor({.passphrase = "12345678\nwpa=0"}),
              AllOf(HasSubstr("wifi.passphrase"), HasSubstr("control")));
  EXPECT_THAT(ErrorFor({.passphrase = "caf\xc3\xa9-12345"}), HasSubstr("non-ASCII"));
}

// An SSID may hold any bytes; hostapd gets it as hex, so none of them can
// end the line.
TEST(HostapdConfigTest, AnSsidCannotInjectADirective) {
  WifiSettings wifi{.ssid = "x\nwpa=0\nssid=evil", .passphrase = "12345678"};
  std::string config = HostapdConfig(wifi, "wlan0");
  EXPECT_THAT(config, Not(HasSubstr("wpa=0")));
  EXPECT_THAT(config, Not(HasSubstr("ssid=evil")));
  EXPECT_THAT(config, HasSubstr("ssid2=" + SsidHex(wifi.ssid) + "\n"));
  EXPECT_EQ(SsidHex("A\n"), "410a");
}

}  // namespace
}  // namespace cirque::capabilities
