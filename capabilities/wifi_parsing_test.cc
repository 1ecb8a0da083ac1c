// Covers reading wpa_cli's answers and writing hostapd's configuration.
#include "capabilities/wifi_parsing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseScanResultsTest, ReadsRowsAndSecurity) {
  std::vector<ScanEntry> entries = ParseScanResults(
      "bssid / frequency / signal level / flags / ssid\n"
      "02:00:00:00:00:00\t2437\t-30\t[WPA2-PSK-CCMP][ESS]\tvirtual-home\n"
      "02:00:00:00:01:00\t2437\t-31\t[WPA2-SAE-CCMP][ESS]\tmodern home\n"
      "02:00:00:00:02:00\t2412\t-40\t[ESS]\t\n");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].ssid, "virtual-home");
  EXPECT_EQ(entries[0].frequency_mhz, 2437);
  EXPECT_EQ(entries[0].signal_dbm, -30);
  EXPECT_EQ(entries[0].security, "wpa2");
  EXPECT_EQ(entries[1].ssid, "modern home");
  EXPECT_EQ(entries[1].security, "wpa3");
  EXPECT_EQ(entries[2].ssid, "");  // hidden
  EXPECT_EQ(entries[2].security, "open");
}

TEST(ParseKeyValuesTest, ReadsStatus) {
  auto values = ParseKeyValues("bssid=02:00:00:00:00:00\nssid=virtual-home\nwpa_state=COMPLETED\n");
  EXPECT_EQ(values["wpa_state"], "COMPLETED");
  EXPECT_EQ(values["ssid"], "virtual-home");
}

TEST(HostapdConfigTest, Wpa2UsesCcmpNeverTkip) {
  WifiSettings settings;
  settings.ssid = "home";
  settings.passphrase = "secret-passphrase";
  std::string config = HostapdConfig(settings, "wlan0");
  EXPECT_THAT(config, HasSubstr("wpa_key_mgmt=WPA-PSK\n"));
  EXPECT_THAT(config, HasSubstr("rsn_pairwise=CCMP\n"));
  EXPECT_THAT(config, Not(HasSubstr("TKIP")));
  EXPECT_THAT(config, HasSubstr("wpa_passphrase=secret-passphrase\n"));
}

TEST(HostapdConfigTest, Wpa3OpenAndHidden) {
  WifiSettings wpa3;
  wpa3.ssid = "modern";
  wpa3.security = "wpa3";
  wpa3.passphrase = "sae-password";
  EXPECT_THAT(HostapdConfig(wpa3, "wlan0"), AllOf(HasSubstr("wpa_key_mgmt=SAE"), HasSubstr("ieee80211w=2"),
                                                   HasSubstr("sae_password=sae-password")));
  WifiSettings open;
  open.ssid = "cafe";
  open.security = "open";
  open.hidden = true;
  open.channel = 11;
  std::string config = HostapdConfig(open, "wlan0");
  EXPECT_THAT(config, Not(HasSubstr("wpa=")));
  EXPECT_THAT(config, HasSubstr("ignore_broadcast_ssid=1"));
  EXPECT_THAT(config, HasSubstr("channel=11"));
}

TEST(ChannelFrequencyTest, MapsTwoPointFourGigahertzChannels) {
  EXPECT_EQ(ChannelFrequency(1), 2412);
  EXPECT_EQ(ChannelFrequency(6), 2437);
  EXPECT_EQ(ChannelFrequency(11), 2462);
}

TEST(ChannelFrequencyTest, MapsFiveGigahertzChannels) {
  EXPECT_EQ(ChannelFrequency(36), 5180);
  EXPECT_EQ(ChannelFrequency(165), 5825);
}

TEST(SimulatedFrequenciesTest, ListsEveryChannelAnApCanUse) {
  EXPECT_EQ(SimulatedFrequencies(),
            "2412,2417,2422,2427,2432,2437,2442,2447,2452,2457,2462,"
            "5180,5200,5220,5240,5745,5765,5785,5805,5825");
}

TEST(HostapdConfigTest, FiveGigahertzChannelUsesModeA) {
  WifiSettings five;
  five.ssid = "attic";
  five.passphrase = "12345678";
  five.channel = 36;
  std::string config = HostapdConfig(five, "wlan0");
  EXPECT_THAT(config, HasSubstr("hw_mode=a\n"));
  EXPECT_THAT(config, HasSubstr("channel=36\n"));
  EXPECT_THAT(config, Not(HasSubstr("bridge=")));
}

TEST(HostapdConfigTest, BridgeModeJoinsWlanToTheBridge) {
  WifiSettings bridged;
  bridged.ssid = "hall";
  bridged.security = "open";
  bridged.mode = "bridge";
  EXPECT_THAT(HostapdConfig(bridged, "wlan0"), HasSubstr("bridge=br0\n"));
}

}  // namespace
}  // namespace cirque::capabilities
