// Covers the built-in capabilities against the real engine: Mount, Weave,
// Interactive, LanAccess (rules scoped to the home and removed with it) and
// TrafficControl (rate here; netem where the engine's kernel has it).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/mount.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "fixtures/assertions.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// A file on this machine (the engine's host when it is local).
class ScopedHostFile {
 public:
  explicit ScopedHostFile(const std::string& content)
      : path_(fs::temp_directory_path() / ("cirque-host-file-" + home::NewId())) {
    std::ofstream(path_) << content;
  }
  ~ScopedHostFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

bool EngineIsLocal() { return CirqueEnvironment::Get().client().endpoint().IsLocal(); }

TEST(MountTest, HostFileIsVisibleInTheNode) {
  if (!EngineIsLocal()) GTEST_SKIP() << "mounts name paths on the engine's host; needs the local engine";
  ScopedHostFile file("provisioning data\n");
  auto home = home::VirtualHome::Create(
      CirqueEnvironment::Get().HomeOptionsFor("mount"),
      {NodeSpec::Named("device").With(capabilities::MountPair{file.path(), "/data/config.txt"})});
  EXPECT_THAT(RunOn(home->node("device"), {"cat", "/data/config.txt"}), StdoutHas("provisioning data"));
  EXPECT_EQ(home->node("device").Describe().capability_details.at("Mount").at("/data/config.txt"),
            file.path());
}

TEST(MountTest, MissingHostPathIsAnUnmetRequirement) {
  if (!EngineIsLocal()) GTEST_SKIP() << "host paths are checked for the local engine only";
  try {
    home::VirtualHome::Create(CirqueEnvironment::Get().HomeOptionsFor("mount-missing"),
                              {NodeSpec::Named("device").With(
                                  capabilities::MountPair{"/nonexistent/cirque/file", "/data/x"})});
    FAIL();
  } catch (const home::UnmetRequirementError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("/nonexistent/cirque/file"), HasSubstr("node 'device'")));
  }
}

TEST(WeaveTest, CertificateIsMountedReadOnlyAtTheConfiguredPath) {
  if (!EngineIsLocal()) GTEST_SKIP() << "the certificate is a path on the engine's host; needs the local engine";
  ScopedHostFile certificate("-----BEGIN CERTIFICATE-----\nweave\n");
  NodeSpec spec = NodeSpec::Named("thermostat").With(
      capabilities::WeaveSettings{.config_file = certificate.path(), .target_path = "/etc/weave/device.cert"});
  auto home = home::VirtualHome::Create(CirqueEnvironment::Get().HomeOptionsFor("weave"), {spec});
  EXPECT_THAT(RunOn(home->node("thermostat"), {"cat", "/etc/weave/device.cert"}), StdoutHas("weave"));
  EXPECT_THAT(RunOn(home->node("thermostat"), {"sh", "-c", "echo x >> /etc/weave/device.cert"}),
              Not(Succeeded()));
}

TEST(InteractiveTest, MainProcessHasATerminalAndStdin) {
  auto home = home::VirtualHome::Create(
      CirqueEnvironment::Get().HomeOptionsFor("interactive"),
      {NodeSpec::Named("console").WithCapability("Interactive").Running(
           {"sh", "-c", "if [ -t 0 ]; then echo tty > /tmp/stdin; fi; exec sleep infinity"}),
       NodeSpec::Named("plain").Running(
           {"sh", "-c", "if [ -t 0 ]; then echo tty > /tmp/stdin; fi; exec sleep infinity"})});
  docker::DockerClient& client = CirqueEnvironment::Get().client();
  EXPECT_TRUE(client.InspectContainer(home->node("console").container_id()).tty);
  EXPECT_FALSE(client.InspectContainer(home->node("plain").container_id()).tty);
  EXPECT_THAT(RunOn(home->node("console"), {"sh", "-c", "until [ -e /proc/1 ] && pgrep -x sleep >/dev/null; do sleep 0.05; done; cat /tmp/stdin"}),
              StdoutHas("tty"));
  EXPECT_THAT(RunOn(home->node("plain"), {"cat", "/tmp/stdin"}), Not(Succeeded()));
}

// A network namespace on the engine's host standing in for a device on the
// LAN: a veth pair, 10.199.<n>.1 on the host side, 10.199.<n>.2 inside.
class ScopedLanDevice {
 public:
  ScopedLanDevice() : name_("cqlan" + home::NewId().substr(0, 6)) {
    int octet = static_cast<int>(std::stoul(home::NewId().substr(0, 4), nullptr, 16) % 250) + 1;
    prefix_ = "10.199." + std::to_string(octet) + ".";
    RunProcessOrThrow({"ip", "netns", "add", name_});
    RunProcessOrThrow({"ip", "link", "add", name_, "type", "veth", "peer", "name", "eth0", "netns", name_});
    RunProcessOrThrow({"ip", "addr", "add", prefix_ + "1/24", "dev", name_});
    RunProcessOrThrow({"ip", "link", "set", name_, "up"});
    RunProcessOrThrow({"ip", "netns", "exec", name_, "ip", "addr", "add", prefix_ + "2/24", "dev", "eth0"});
    RunProcessOrThrow({"ip", "netns", "exec", name_, "ip", "link", "set", "eth0", "up"});
    RunProcessOrThrow({"ip", "netns", "exec", name_, "ip", "link", "set", "lo", "up"});
    RunProcessOrThrow({"ip", "netns", "exec", name_, "ip", "route", "add", "default", "via", prefix_ + "1"});
  }
  ~ScopedLanDevice() {
    RunProcess({"ip", "link", "del", name_});
    RunProcess({"ip", "netns", "del", name_});
  }
  std::string address() const { return prefix_ + "2"; }

 private:
  std::string name_;
  std::string prefix_;
};

// The engine host's rules of homes (mangle FORWARD), read through an agent of the test's
// own (the home's agent goes with the home).
std::string HomeFirewallRules() {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  home::HostAgent agent(environment.client(), environment.ResolveImage("generic"),
                        "rules-reader-" + home::NewId());
  return agent.Exec({agent.Iptables(), "-w", "-t", "mangle", "-S", "FORWARD"}).stdout_text;
}

TEST(LanAccessTest, OnlyLanAccessNodesReachTheLanAndRulesGoWithTheHome) {
  if (!EngineIsLocal() || geteuid() != 0) {
    GTEST_SKIP() << "the LAN device is a namespace made on the engine's host: run as root against the local engine";
  }
  ScopedLanDevice lan_device;
  auto home = home::VirtualHome::Create(
      CirqueEnvironment::Get().HomeOptionsFor("lan-access"),
      {NodeSpec::Named("gateway").WithCapability("LanAccess"), NodeSpec::Named("sensor")});
  const std::string marker = "cirque home=" + home->id() + " ";
  EXPECT_THAT(HomeFirewallRules(), HasSubstr(marker));
  EXPECT_PING(home->node("gateway"), lan_device.address());
  EXPECT_NO_PING(home->node("sensor"), lan_device.address());
  // Inside the home, everyone still reaches everyone.
  EXPECT_PING(home->node("sensor"), home->node("gateway"));
  EXPECT_EQ(home->node("gateway").Describe().capability_details.at("LanAccess").at("lan_access"), "on");

  home->RemoveNode("gateway");
  home->AddNode(NodeSpec::Named("late").WithCapability("LanAccess"));
  EXPECT_PING(home->node("late"), lan_device.address());

  home->Destroy();
  EXPECT_THAT(HomeFirewallRules(), Not(HasSubstr(marker)));
}

class TrafficControlTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override {
    return {NodeSpec::Named("uplink").With(capabilities::TrafficShape{.rate_kbit = 1000}),
            NodeSpec::Named("cloud")};
  }
  std::string Qdisc() {
    return RunOn(node("uplink"), {"tc", "-s", "qdisc", "show", "dev", "eth0"}).stdout_text;
  }
  capabilities::TrafficControl& Control() {
    return node("uplink").CapabilityAs<capabilities::TrafficControl>(capabilities::kTrafficControl);
  }
};

TEST_F(TrafficControlTest, RateLimitShapesTraffic) {
  EXPECT_THAT(Qdisc(), AllOf(HasSubstr("tbf"), HasSubstr("rate 1Mbit")));
  // Send 300 kB at once: far beyond the bucket, so the limiter must hold
  // packets back (tbf counts that as "overlimits").
  ASSERT_EXEC_OK(node("cloud"), {"sh", "-c", "socat -u TCP-LISTEN:7000,reuseaddr OPEN:/dev/null & "
                                             "until ss -ltn | grep -q :7000; do sleep 0.05; done"});
  ASSERT_EXEC_OK(node("uplink"), {"sh", "-c", "head -c 300000 /dev/zero | socat -u - TCP:" +
                                                  node("cloud").ipv4_address() + ":7000"});
  std::string stats = Qdisc();
  EXPECT_THAT(stats, Not(HasSubstr("overlimits 0 "))) << stats;
}

TEST_F(TrafficControlTest, ChangesAtRunTimeAndGoesAway) {
  Control().Reshape(node("uplink"), {.rate_kbit = 2500});
  EXPECT_THAT(Qdisc(), HasSubstr("rate 2500Kbit"));
  EXPECT_EQ(node("uplink").Describe().capability_details.at("TrafficControl").at("rate_kbit"), "2500");
  Control().Disable(node("uplink"));
  EXPECT_THAT(Qdisc(), Not(HasSubstr("tbf")));
}

// Latency and loss (netem) are shaped where the kernel has sch_netem:
// tests/vm/netem_test.cc, in the VM tier. Here, where it has not, the
// refusal is what is tested (below).

TEST(TrafficControlRequirementTest, NetemShapeWithoutNetemIsAnUnmetRequirement) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  home::HomeOptions options = environment.HomeOptionsFor("netem-needed");
  if (environment.EngineHas(capabilities::NetemRequirement())) {
    GTEST_SKIP() << "this engine's kernel has netem; the refusal is tested where it has not";
  }
  try {
    home::VirtualHome::Create(options, {NodeSpec::Named("laggy").With(
                                           capabilities::TrafficShape{.latency_ms = 50, .loss_percent = 2})});
    FAIL();
  } catch (const home::UnmetRequirementError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("netem"), HasSubstr("node 'laggy'"),
                                    HasSubstr("--tier vm")));
  }
}

}  // namespace
}  // namespace cirque::testing
