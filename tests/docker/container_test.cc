// Covers containers against the real engine: create options, start, stop,
// kill, wait, remove, inspect, list by label, logs, and archive copy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::docker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Contains;
using ::testing::Field;

std::string RunOk(const std::string& id, std::vector<std::string> cmd) {
  ExecResult result = Client().Exec(id, {.cmd = std::move(cmd)});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  return result.stdout_text;
}

TEST(ContainerTest, CreateAppliesProcessSecurityStorageAndNetworkOptions) {
  ContainerSpec spec;
  spec.name = UniqueName("options");
  spec.process.cmd = {"sleep", "3600"};
  spec.process.env = {"NODE_ROLE=tester"};
  spec.process.working_dir = "/work";
  spec.process.user = "nobody";
  spec.process.init = true;
  spec.process.tty = false;
  spec.process.stdin_open = true;
  spec.security.cap_add = {"NET_ADMIN"};
  spec.security.cap_drop = {"CHOWN"};
  spec.security.sysctls = {{"net.ipv4.ip_forward", "1"}};
  spec.security.devices = {{"/dev/null", "/dev/cirque-null"}};
  spec.storage.tmpfs = {{"/scratch", "size=4m"}};
  spec.storage.binds = {"/etc/hostname:/host-hostname:ro"};
  spec.storage.mounts = {{MountSpec::Type::kTmpfs, "", "/mnt/tmp"}};
  spec.network.hostname = "node-under-test";
  spec.network.ports = {{8080, "tcp", "127.0.0.1", 0}};
  ScopedContainer container(spec);
  const std::string& id = container.id();

  ContainerInfo info = Client().InspectContainer(id);
  EXPECT_EQ(info.name, spec.name);
  EXPECT_TRUE(info.state.running);
  EXPECT_GT(info.state.pid, 0);
  EXPECT_EQ(info.labels.at("cirque.test"), "docker");
  EXPECT_FALSE(info.networks.at("bridge").ipv4_address.empty());

  EXPECT_EQ(RunOk(id, {"hostname"}), "node-under-test\n");
  EXPECT_EQ(RunOk(id, {"pwd"}), "/work\n");
  EXPECT_EQ(RunOk(id, {"id", "-u"}), "65534\n");
  EXPECT_THAT(RunOk(id, {"env"}), HasSubstr("NODE_ROLE=tester"));
  EXPECT_EQ(RunOk(id, {"cat", "/proc/sys/net/ipv4/ip_forward"}), "1\n");
  EXPECT_THAT(RunOk(id, {"cat", "/proc/mounts"}),
              AllOf(HasSubstr("/scratch tmpfs"), HasSubstr("/mnt/tmp tmpfs")));
  EXPECT_THAT(RunOk(id, {"ls", "/dev/cirque-null"}), HasSubstr("cirque-null"));
  EXPECT_FALSE(RunOk(id, {"cat", "/host-hostname"}).empty());
  // With init, PID 1 is docker-init and our sleep is its child.
  EXPECT_THAT(RunOk(id, {"cat", "/proc/1/cmdline"}), HasSubstr("init"));
  // NET_ADMIN: bringing an interface down and up is allowed.
  ExecResult admin = Client().Exec(id, {.cmd = {"ip", "link", "set", "lo", "down"}, .user = "root"});
  EXPECT_EQ(admin.exit_code, 0) << admin.stderr_text;
  // CHOWN dropped: root cannot chown.
  ExecResult chown = Client().Exec(id, {.cmd = {"chown", "nobody", "/work"}, .user = "root"});
  EXPECT_NE(chown.exit_code, 0);
}

TEST(ContainerTest, EntrypointAndCmdRunAndWaitReturnsTheExitCode) {
  ContainerSpec spec;
  spec.process.entrypoint = std::vector<std::string>{"sh", "-c"};
  spec.process.cmd = {"echo to-out; echo to-err >&2; exit 5"};
  ScopedContainer container(spec);
  EXPECT_EQ(Client().WaitContainer(container.id(), std::chrono::seconds(30)), 5);
  ContainerInfo info = Client().InspectContainer(container.id());
  EXPECT_FALSE(info.state.running);
  EXPECT_EQ(info.state.exit_code, 5);
  ContainerLogs logs = Client().Logs(container.id());
  EXPECT_EQ(logs.stdout_text, "to-out\n");
  EXPECT_EQ(logs.stderr_text, "to-err\n");
}

TEST(ContainerTest, LogsHonourTailAndSince) {
  ContainerSpec spec;
  spec.process.cmd = {"sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done"};
  ScopedContainer container(spec);
  Client().WaitContainer(container.id(), std::chrono::seconds(30));
  LogOptions last_two;
  last_two.tail = 2;
  EXPECT_EQ(Client().Logs(container.id(), last_two).stdout_text, "line4\nline5\n");
  LogOptions none;
  none.tail = 0;
  EXPECT_EQ(Client().Logs(container.id(), none).stdout_text, "");
  LogOptions future;
  future.since = std::time(nullptr) + 3600;
  EXPECT_EQ(Client().Logs(container.id(), future).stdout_text, "");
}

TEST(ContainerTest, TtyContainerLogsAreARawStream) {
  ContainerSpec spec;
  spec.process.tty = true;
  spec.process.cmd = {"echo", "through a tty"};
  ScopedContainer container(spec);
  Client().WaitContainer(container.id(), std::chrono::seconds(30));
  EXPECT_THAT(Client().Logs(container.id()).stdout_text, HasSubstr("through a tty"));
}

TEST(ContainerTest, StopKillAndRemove) {
  ScopedContainer stopped(ContainerSpec{});
  auto started = std::chrono::steady_clock::now();
  Client().StopContainer(stopped.id(), std::chrono::seconds(1));
  EXPECT_FALSE(Client().InspectContainer(stopped.id()).state.running);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));

  ScopedContainer killed(ContainerSpec{});
  Client().KillContainer(killed.id(), "SIGKILL");
  EXPECT_EQ(Client().WaitContainer(killed.id(), std::chrono::seconds(30)), 137);

  std::string id = Client().CreateContainer(TestContainerSpec());
  Client().RemoveContainer(id, true);
  try {
    Client().InspectContainer(id);
    FAIL() << "container still there";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_EQ(error.http_status(), 404);
  }
}

TEST(ContainerTest, WaitHasADeadlineNamingTheContainer) {
  ScopedContainer container(ContainerSpec{});
  try {
    Client().WaitContainer(container.id(), std::chrono::milliseconds(300));
    FAIL() << "wait returned for a running container";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), HasSubstr(container.id()));
  }
}

TEST(ContainerTest, ListsByLabel) {
  Labels unique = {{"cirque.list-test", UniqueName("list")}};
  ContainerSpec spec;
  spec.labels = unique;
  ScopedContainer a(spec), b(spec);
  ScopedContainer other(ContainerSpec{});
  std::vector<ContainerSummary> listed = Client().ListContainers(unique);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_THAT(listed, Contains(Field(&ContainerSummary::id, a.id())));
  EXPECT_THAT(listed, Contains(Field(&ContainerSummary::id, b.id())));
}

TEST(ContainerTest, CopiesFilesInAndOut) {
  ScopedContainer container(ContainerSpec{});
  TarWriter tar;
  tar.AddDirectory("conf");
  tar.AddFile("conf/hostapd.conf", "ssid=virtual-home\n");
  Client().CopyToContainer(container.id(), "/tmp", tar.Finish());
  EXPECT_EQ(RunOk(container.id(), {"cat", "/tmp/conf/hostapd.conf"}), "ssid=virtual-home\n");

  RunOk(container.id(), {"sh", "-c", "echo generated > /tmp/out.txt"});
  std::vector<TarEntry> entries =
      ReadTar(Client().CopyFromContainer(container.id(), "/tmp/out.txt"));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "out.txt");
  EXPECT_EQ(entries[0].content, "generated\n");

  try {
    Client().CopyFromContainer(container.id(), "/no/such/file");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

TEST(ContainerTest, CreateWithUnknownImageNamesIt) {
  ContainerSpec spec = TestContainerSpec();
  spec.image = "cirque-test/no-such-image:never";
  try {
    Client().CreateContainer(spec);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("no-such-image"));
    EXPECT_EQ(error.request().path, "/containers/create");
  }
}

}  // namespace
}  // namespace cirque::docker::testing
