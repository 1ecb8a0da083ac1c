// Covers the node images: each one has the tools it promises, and they run.
// Uses the images tools/setup built (building them here if they are missing).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::images {
namespace {

using docker::testing::Client;
using ::testing::HasSubstr;

struct ToolCheck {
  std::string image;
  std::vector<std::string> cmd;
  std::string expected_output;  // in stdout or stderr
  int exit_code = 0;  // hostapd -v prints its version and exits 1
};

void PrintTo(const ToolCheck& check, std::ostream* out) {
  *out << check.image << ": " << check.cmd.front();
}

class ImageToolsTest : public ::testing::TestWithParam<ToolCheck> {
 protected:
  static void SetUpTestSuite() {
    ImageBuildOptions options;
    options.images_dir = FindImagesDir();
    ImageBuilder builder(Client(), NodeImages(), options);
    for (const auto& result : builder.EnsureAll()) references_[result.name] = result.reference;
  }
  static std::map<std::string, std::string> references_;
};

std::map<std::string, std::string> ImageToolsTest::references_;

TEST_P(ImageToolsTest, ToolRunsAndReportsItself) {
  const ToolCheck& check = GetParam();
  docker::ContainerSpec spec;
  spec.image = references_.at(check.image);
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"600"};
  docker::testing::ScopedContainer container(spec);
  docker::ExecResult result = Client().Exec(container.id(), {.cmd = check.cmd});
  EXPECT_THAT(result.stdout_text + result.stderr_text, HasSubstr(check.expected_output))
      << "exit code " << result.exit_code;
  EXPECT_EQ(result.exit_code, check.exit_code) << result.stderr_text;
}

INSTANTIATE_TEST_SUITE_P(
    NodeImages, ImageToolsTest,
    ::testing::Values(
        ToolCheck{kBaseImage, {"cat", "/etc/debian_version"}, "12."},
        ToolCheck{kBaseImage, {"apt-config", "dump", "APT::Install-Recommends"}, "\"false\""},
        ToolCheck{kWifiApImage, {"hostapd", "-v"}, "hostapd v2.10", 1},
        ToolCheck{kWifiApImage, {"dnsmasq", "--version"}, "Dnsmasq version"},
        ToolCheck{kWifiApImage, {"iptables", "--version"}, "iptables v1.8"},
        ToolCheck{kWifiApImage, {"iw", "--version"}, "iw version"},
        ToolCheck{kWifiApImage, {"ip", "-V"}, "iproute2"},
        ToolCheck{kWifiStationImage, {"wpa_supplicant", "-v"}, "wpa_supplicant v2.10"},
        ToolCheck{kWifiStationImage, {"wpa_cli", "-v"}, "wpa_cli v2.10"},
        ToolCheck{kWifiStationImage, {"dhclient", "--version"}, "isc-dhclient"},
        ToolCheck{kWifiStationImage, {"iw", "--version"}, "iw version"},
        ToolCheck{kWifiStationImage, {"ping", "-V"}, "ping from iputils"},
        ToolCheck{kGenericImage, {"ip", "-V"}, "iproute2"},
        ToolCheck{kGenericImage, {"ping", "-V"}, "ping from iputils"},
        ToolCheck{kGenericImage, {"ps", "--version"}, "procps"},
        ToolCheck{kGenericImage, {"socat", "-V"}, "socat version"},
        ToolCheck{kGenericImage, {"tcpdump", "--version"}, "tcpdump version"},
        ToolCheck{kGenericImage, {"iptables", "--version"}, "iptables v1.8"},
        ToolCheck{kXvncImage, {"Xvnc", "-version"}, "TigerVNC 1.12"},
        ToolCheck{kXvncImage, {"xwininfo", "-version"}, "xwininfo 1."},
        ToolCheck{kXvncImage, {"xdpyinfo", "-version"}, "xdpyinfo 1."},
        ToolCheck{kXvncImage, {"sh", "-c", "command -v xmessage && command -v xwd"}, "/usr/bin/xmessage\n/usr/bin/xwd"},
        ToolCheck{kXvncImage, {"pnmtopng", "-version"}, "Netpbm"}),
    [](const ::testing::TestParamInfo<ToolCheck>& info) {
      std::string name = info.param.image + "_" + info.param.cmd.front();
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name + "_" + std::to_string(info.index);
    });

}  // namespace
}  // namespace cirque::images
