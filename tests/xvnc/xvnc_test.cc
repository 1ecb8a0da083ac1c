// X displays on the real engine: a node's X client shows a window the test
// sees by title; a screenshot is a PNG of the display's size with more than
// one colour; a VNC client on the engine's host gets the RFB banner and a
// framebuffer update, on 127.0.0.1 only unless xvnc_localhost is false;
// homes made at once get distinct displays, and an asked display that is
// taken is refused naming it; a killed run's displays are reaped by the
// next home; nothing of a home's displays is left after it.
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>

#include <future>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/xvnc/x_display.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"
#include "fixtures/assertions.h"
#include "fixtures/png_file.h"
#include "fixtures/virtual_home_test.h"
#include "fixtures/vnc_probe.h"
#include "fixtures/x_display_nodes.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// The X display helpers of home `home_id` still on the engine.
std::vector<docker::ContainerSummary> DisplayHelpersOf(const std::string& home_id) {
  return CirqueEnvironment::Get().client().ListContainers(
      {{home::kHomeLabel, home_id}, {home::kRoleLabel, capabilities::kXvncRole}});
}

// An IPv4 address of this host that is not a loopback one ("" if none).
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* each = list; each != nullptr && found.empty(); each = each->ifa_next) {
    if (each->ifa_addr == nullptr || each->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(each->ifa_addr)->sin_addr, text, sizeof(text));
    if (std::string(text).rfind("127.", 0) != 0) found = text;
  }
  freeifaddrs(list);
  return found;
}

// The number of distinct colours in `png`, decoded by netpbm's pngtopnm in
// the display's helper (a decoder other than the one that made it).
int ColoursIn(XvncNode& node, const std::string& png) {
  TarWriter tar;
  tar.AddFile("check.png", png, 0644);
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  client.CopyToContainer(node.display().helper_id(), "/tmp", tar.Finish());
  docker::ExecResult histogram = client.Exec(
      node.display().helper_id(),
      {.cmd = {"sh", "-c", "pngtopnm /tmp/check.png | ppmhist -noheader | wc -l"}, .deadline = std::chrono::seconds(30)});
  EXPECT_EQ(histogram.exit_code, 0) << histogram.stderr_text;
  return std::atoi(histogram.stdout_text.c_str());
}

class XvncNodeTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {XvncNodeSpec("phone")}; }
};

TEST_F(XvncNodeTest, AnXClientsWindowIsSeenByItsTitle) {
  XvncNode phone(node("phone"));
  // The server's socket is in the node (a socket, not a directory Docker made).
  docker::ExecResult socket = phone.node().Exec({"sh", "-c", "test -S /tmp/.X11-unix/X0 && echo \"$DISPLAY\""});
  EXPECT_THAT(socket, Succeeded());
  EXPECT_EQ(socket.stdout_text, ":0\n");
  phone.StartClient({"xmessage", "-title", "cirque hello", "Hello from the phone node"});
  EXPECT_WINDOW(phone, "cirque hello");
}

TEST_F(XvncNodeTest, AWaitForAMissingWindowListsTheWindowsThatWereThere) {
  XvncNode phone(node("phone"));
  phone.StartClient({"xmessage", "-title", "present", "here"});
  ASSERT_WINDOW(phone, "present");
  WindowReport report = phone.AwaitWindow("absent", std::chrono::milliseconds(300));
  EXPECT_FALSE(report.mapped);
  EXPECT_THAT(::testing::DescribeMatcher<WindowReport>(ShowsWindow()), HasSubstr("shows the window"));
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(ShowsWindow(), report, &listener));
  EXPECT_THAT(listener.str(), HasSubstr("no window titled 'absent' was mapped on node 'phone'"));
  EXPECT_THAT(listener.str(), HasSubstr("'present' (mapped)"));
}

TEST_F(XvncNodeTest, AScreenshotIsAPngOfTheDisplaysSizeWithMoreThanOneColour) {
  XvncNode phone(node("phone"));
  phone.StartClient({"xmessage", "-title", "shot", "Say cheese"});
  ASSERT_WINDOW(phone, "shot");
  std::string png = phone.Screenshot();
  PngSummary summary = ReadPng(png);
  ASSERT_TRUE(summary.valid) << summary.problem;
  capabilities::XDisplaySize size = phone.display().Size();
  EXPECT_EQ(summary.width, static_cast<uint32_t>(size.width));
  EXPECT_EQ(summary.height, static_cast<uint32_t>(size.height));
  EXPECT_EQ(size.width, capabilities::XDisplay::kScreen.width);
  EXPECT_GT(ColoursIn(phone, png), 1);
}

TEST_F(XvncNodeTest, AVncClientOnTheEnginesHostGetsTheBannerAndAnUpdateOnLoopbackOnly) {
  XvncNode phone(node("phone"));
  std::map<std::string, std::string> described = phone.node().Describe().capability_details.at("Xvnc");
  EXPECT_EQ(described.at("vnc_address"), "127.0.0.1:" + std::to_string(phone.display().vnc_port()));
  VncProbeResult vnc = ProbeVnc("127.0.0.1", phone.display().vnc_port());
  EXPECT_TRUE(vnc.GotUpdate()) << ::testing::PrintToString(vnc);
  EXPECT_THAT(vnc.banner, StartsWith("RFB 003."));
  EXPECT_EQ(vnc.width, capabilities::XDisplay::kScreen.width);
  EXPECT_EQ(vnc.height, capabilities::XDisplay::kScreen.height);
  EXPECT_THAT(vnc.desktop_name, HasSubstr("phone"));
  std::string outside = NonLoopbackAddress();
  ASSERT_FALSE(outside.empty()) << "this host has no IPv4 address but loopback";
  VncProbeResult elsewhere = ProbeVnc(outside, phone.display().vnc_port(), std::chrono::seconds(3));
  EXPECT_FALSE(elsewhere.error.empty()) << "reached on " << outside << ": " << ::testing::PrintToString(elsewhere);
}

class XvncAllAddressesTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {XvncNodeSpec("tv", XvncSettings{.localhost = false})}; }
};

TEST_F(XvncAllAddressesTest, XvncLocalhostFalsePublishesOnAllAddresses) {
  XvncNode tv(node("tv"));
  EXPECT_EQ(tv.node().Describe().capability_details.at("Xvnc").at("vnc_address"),
            "0.0.0.0:" + std::to_string(tv.display().vnc_port()));
  std::string outside = NonLoopbackAddress();
  ASSERT_FALSE(outside.empty()) << "this host has no IPv4 address but loopback";
  VncProbeResult vnc = ProbeVnc(outside, tv.display().vnc_port());
  EXPECT_TRUE(vnc.GotUpdate()) << "on " << outside << ": " << ::testing::PrintToString(vnc);
}

TEST(XvncHomesTest, HomesMadeAtOnceGetDistinctDisplaysAndLeaveNone) {
  auto make = [](const std::string& name) {
    return CirqueEnvironment::Get().MakeHome(name, {XvncNodeSpec("a"), XvncNodeSpec("b")});
  };
  auto first = std::async(std::launch::async, make, "xvnc-one");
  auto second = std::async(std::launch::async, make, "xvnc-two");
  std::vector<std::unique_ptr<home::VirtualHome>> homes;
  homes.push_back(first.get());
  homes.push_back(second.get());
  std::set<int> numbers;
  std::set<int> ports;
  for (auto& home : homes) {
    for (const auto& name : home->NodeNames()) {
      XvncNode display(home->node(name));
      numbers.insert(display.display().number());
      ports.insert(display.display().vnc_port());
    }
  }
  EXPECT_EQ(numbers.size(), 4u);
  EXPECT_EQ(ports.size(), 4u);
  // An asked display that another home holds is refused, naming it.
  int taken = *numbers.begin();
  try {
    CirqueEnvironment::Get().MakeHome("xvnc-taken", {XvncNodeSpec("c", XvncSettings{.display_id = taken})});
    ADD_FAILURE() << "display " << taken << " was given twice";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("display_id " + std::to_string(taken) + " is taken"));
    EXPECT_THAT(error.what(), HasSubstr("fix: give display_id 0"));
  }
  for (auto& home : homes) {
    std::string id = home->id();
    EXPECT_EQ(DisplayHelpersOf(id).size(), 2u);
    home->Destroy();
    EXPECT_THAT(DisplayHelpersOf(id), IsEmpty());
  }
}

// A process killed while its home's displays are up leaves their helpers,
// which the next home reaps.
TEST(XvncReaperTest, AKilledRunsDisplaysAreReapedByTheNextHome) {
  ProcessOptions options;
  options.deadline = std::chrono::minutes(2);
  ProcessResult killed = RunProcess({"tests/home/home_maker", "doomed-xvnc", "2", "--xvnc", "--die"}, options);
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.stderr_text;
  ASSERT_THAT(killed.stdout_text, HasSubstr("display n1 "));
  std::string home_id = killed.stdout_text.substr(5, killed.stdout_text.find('\n') - 5);
  EXPECT_EQ(DisplayHelpersOf(home_id).size(), 2u);
  auto next = CirqueEnvironment::Get().MakeHome("after-xvnc", {NodeSpec::Named("alive")});
  EXPECT_THAT(DisplayHelpersOf(home_id), IsEmpty());
  EXPECT_THAT(CirqueEnvironment::Get().client().ListContainers({{home::kHomeLabel, home_id}}), IsEmpty());
  next->Destroy();
}

}  // namespace
}  // namespace cirque::testing
