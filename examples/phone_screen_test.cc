// The phone case study (Cirque's Xvnc, as Matter used it to run an Android
// emulator as a phone in the home): a "phone" node shows a pairing prompt
// on its X display; the test waits for the prompt's window by title and
// keeps a screenshot of the phone's screen in the test's outputs
// (bazel-testlogs/examples/phone_screen_test/test.outputs/
// PhoneScreenTest.ShowsThePairingPrompt/phone-pairing.png).
//
// A person can watch the same screen with any VNC viewer on the engine's
// host: `vncviewer 127.0.0.1:<display number>` (Describe's vnc_address).
// Runs in the host tier: no kernel module needed.
//   bazel test //examples:phone_screen_test
#include <iostream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures/png_file.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/x_display_nodes.h"

namespace {

using cirque::testing::NodeSpec;
using cirque::testing::XvncNode;
using cirque::testing::XvncNodeSpec;

class PhoneScreenTest : public cirque::testing::VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {XvncNodeSpec("phone")}; }
};

TEST_F(PhoneScreenTest, ShowsThePairingPrompt) {
  XvncNode phone(node("phone"));
  phone.StartClient({"xmessage", "-title", "Pair device", "-buttons", "Pair,Cancel", "-center",
                     "Pair the light bulb 'kitchen' with this home?"});
  ASSERT_WINDOW(phone, "Pair device");
  std::string saved = phone.SaveScreenshot("phone-pairing.png");
  // "" outside Bazel unless CIRQUE_TEST_OUTPUTS_DIR names a folder.
  if (!saved.empty()) std::cerr << "screenshot: " << saved << "\n";
  EXPECT_TRUE(cirque::testing::ReadPng(phone.Screenshot()).valid);
}

}  // namespace
