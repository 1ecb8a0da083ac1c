// Covers the in-memory engine: that it keeps the engine's rules callers rely
// on (unique names, subnets that must not overlap, addresses only while
// running, exec only in running containers) and reports breaking them with
// the errors the real client would throw; its exec handlers and recording;
// injected failures; and its behaviour under concurrent calls.
#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/util/testing/error_from.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::docker::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr const char* kImage = "cirque/node:1";

NetworkSpec LanSpec(const std::string& name, const std::string& subnet,
                    const std::string& ip_range = "") {
  NetworkSpec spec;
  spec.name = name;
  spec.labels = {{"cirque.home", "h1"}};
  spec.pools = {{subnet, "", ip_range}};
  return spec;
}

// A node as a home makes one: named, labelled, on one network, idle.
ContainerSpec NodeSpec(const std::string& name, const std::string& network) {
  ContainerSpec spec;
  spec.image = kImage;
  spec.name = name;
  spec.labels = {{"cirque.home", "h1"}, {"cirque.role", "node"}};
  spec.process.init = true;
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.network.endpoint = EndpointSpec{.network = network};
  return spec;
}

class FakeDockerClientTest : public ::testing::Test {
 protected:
  FakeDockerClientTest() { fake_.AddImage(kImage); }

  std::string StartedNode(const std::string& name, const std::string& network) {
    std::string id = fake_.CreateContainer(NodeSpec(name, network));
    fake_.StartContainer(id);
    return id;
  }

  FakeDockerClient fake_;
};

// --- Networks ------------------------------------------------------------------

TEST_F(FakeDockerClientTest, NetworkKeepsItsSpecAndReportsTheGateway) {
  std::string id = fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24", "10.200.5.0/25"));
  NetworkInfo info = fake_.InspectNetwork("lan");
  EXPECT_EQ(info.id, id);
  EXPECT_EQ(info.driver, "bridge");
  EXPECT_EQ(info.labels.at("cirque.home"), "h1");
  ASSERT_THAT(info.pools, SizeIs(1));
  EXPECT_EQ(info.pools[0].subnet, "10.200.5.0/24");
  EXPECT_EQ(info.pools[0].gateway, "10.200.5.1");
  EXPECT_EQ(info.pools[0].ip_range, "10.200.5.0/25");
  EXPECT_EQ(fake_.InspectNetwork(id.substr(0, 12)).name, "lan");
}

TEST_F(FakeDockerClientTest, DuplicateNetworkNameIsAConflict) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24"));
  Error error = ErrorFrom([&] { fake_.CreateNetwork(LanSpec("lan", "10.200.6.0/24")); });
  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  EXPECT_EQ(error.http_status(), 409);
  EXPECT_THAT(error.what(), HasSubstr("already exists"));
}

// home/subnet_allocator.cc retries on an error whose message says "overlap";
// the engine answers 403 (kInternal through the client) with this wording.
TEST_F(FakeDockerClientTest, OverlappingSubnetIsRefusedAsTheEngineRefusesIt) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24"));
  Error error = ErrorFrom([&] { fake_.CreateNetwork(LanSpec("wide", "10.200.0.0/16")); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_EQ(error.http_status(), 403);
  EXPECT_EQ(error.request().method, "POST");
  EXPECT_EQ(error.request().path, "/networks/create");
  EXPECT_THAT(error.what(), HasSubstr("Pool overlaps with other one on this address space"));
  EXPECT_THAT(error.what(), HasSubstr("overlap"));
  // The default bridge's 172.17.0.0/16 is taken from the start.
  EXPECT_THAT(ErrorFrom([&] { fake_.CreateNetwork(LanSpec("b", "172.17.3.0/24")); }).what(),
              HasSubstr("overlap"));
  fake_.CreateNetwork(LanSpec("next", "10.200.6.0/24"));  // adjacent is fine
}

TEST_F(FakeDockerClientTest, NetworkWithoutPoolsGetsTheNextDefaultPool) {
  NetworkSpec spec;
  spec.name = "plain";
  fake_.CreateNetwork(spec);
  NetworkInfo info = fake_.InspectNetwork("plain");
  ASSERT_THAT(info.pools, SizeIs(1));
  EXPECT_EQ(info.pools[0].subnet, "172.18.0.0/16");
  std::set<std::string> names;
  for (const auto& network : fake_.ListNetworks({})) names.insert(network.name);
  EXPECT_EQ(names, (std::set<std::string>{"bridge", "host", "none", "plain"}));
}

TEST_F(FakeDockerClientTest, NetworkWithARunningContainerCannotBeRemoved) {
  std::string network = fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24"));
  std::string node = StartedNode("n1", "lan");
  Error error = ErrorFrom([&] { fake_.RemoveNetwork("lan"); });
  EXPECT_EQ(error.http_status(), 403);
  EXPECT_THAT(error.what(), HasSubstr("has active endpoints"));
  EXPECT_THAT(fake_.InspectNetwork(network).containers, SizeIs(1));

  // A stopped container has no endpoint, so it no longer holds the network.
  fake_.StopContainer(node);
  fake_.RemoveNetwork("lan");
  EXPECT_EQ(ErrorFrom([&] { fake_.InspectNetwork(network); }).code(), ErrorCode::kNotFound);
  Error gone = ErrorFrom([&] { fake_.RemoveNetwork("lan"); });
  EXPECT_EQ(gone.code(), ErrorCode::kNotFound);
  EXPECT_EQ(gone.request().method, "DELETE");
  EXPECT_EQ(ErrorFrom([&] { fake_.RemoveNetwork("bridge"); }).http_status(), 403);
}

TEST_F(FakeDockerClientTest, ConnectGivesARunningContainerAnAddressAndDisconnectTakesIt) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24"));
  fake_.CreateNetwork(LanSpec("wan", "10.200.9.0/24"));
  std::string node = StartedNode("router", "lan");
  fake_.ConnectNetwork("wan", node, {.ipv4_address = "10.200.9.100"});
  ContainerInfo info = fake_.InspectContainer(node);
  EXPECT_EQ(info.networks.at("wan").ipv4_address, "10.200.9.100");
  EXPECT_EQ(info.networks.at("lan").ipv4_address, "10.200.5.2");
  EXPECT_EQ(fake_.InspectNetwork("wan").containers.at(node), "10.200.9.100/24");
  EXPECT_EQ(ErrorFrom([&] { fake_.ConnectNetwork("wan", node); }).http_status(), 403);

  fake_.DisconnectNetwork("wan", node);
  EXPECT_EQ(fake_.InspectContainer(node).networks.count("wan"), 0u);
  EXPECT_THAT(fake_.InspectNetwork("wan").containers, IsEmpty());
}

// --- Containers ------------------------------------------------------------------

TEST_F(FakeDockerClientTest, ContainerLifecycleAndAddresses) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24", "10.200.5.0/25"));
  std::string id = fake_.CreateContainer(NodeSpec("n1", "lan"));
  ContainerInfo created = fake_.InspectContainer("n1");
  EXPECT_EQ(created.id, id);
  EXPECT_EQ(created.state.status, "created");
  EXPECT_EQ(created.state.pid, 0);
  EXPECT_EQ(created.networks.at("lan").ipv4_address, "");  // no endpoint before start

  fake_.StartContainer(id);
  ContainerInfo running = fake_.InspectContainer(id);
  EXPECT_TRUE(running.state.running);
  EXPECT_EQ(running.state.status, "running");
  EXPECT_GT(running.state.pid, 4194304);  // above PID_MAX_LIMIT: never a real process
  const NetworkAddress& address = running.networks.at("lan");
  EXPECT_EQ(address.ipv4_address, "10.200.5.2");
  EXPECT_EQ(address.ipv4_prefix_length, 24);
  EXPECT_EQ(address.gateway, "10.200.5.1");
  EXPECT_EQ(address.mac_address, "02:42:0a:c8:05:02");
  EXPECT_EQ(address.network_id, fake_.InspectNetwork("lan").id);
  EXPECT_EQ(fake_.InspectContainer(StartedNode("n2", "lan")).networks.at("lan").ipv4_address,
            "10.200.5.3");

  Error refused = ErrorFrom([&] { fake_.RemoveContainer(id, /*force=*/false); });
  EXPECT_EQ(refused.code(), ErrorCode::kConflict);
  fake_.StopContainer(id);
  ContainerInfo stopped = fake_.InspectContainer(id);
  EXPECT_EQ(stopped.state.status, "exited");
  EXPECT_EQ(stopped.state.exit_code, 143);  // init forwards SIGTERM
  EXPECT_EQ(stopped.networks.at("lan").ipv4_address, "");

  // Its address is free again: a new node gets the lowest free one.
  EXPECT_EQ(fake_.InspectContainer(StartedNode("n3", "lan")).networks.at("lan").ipv4_address,
            "10.200.5.2");
  fake_.RemoveContainer(id, /*force=*/false);
  Error gone = ErrorFrom([&] { fake_.InspectContainer(id); });
  EXPECT_EQ(gone.code(), ErrorCode::kNotFound);
  EXPECT_EQ(gone.http_status(), 404);
  EXPECT_THAT(gone.what(), HasSubstr("No such container"));
}

TEST_F(FakeDockerClientTest, AddressesComeFromTheIpRangeAndFixedOnesAreHonoured) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.7.0/24", "10.200.7.128/25"));
  ContainerSpec fixed = NodeSpec("fixed", "lan");
  fixed.network.endpoint->ipv4_address = "10.200.7.20";
  fake_.StartContainer(fake_.CreateContainer(fixed));
  EXPECT_EQ(fake_.InspectContainer("fixed").networks.at("lan").ipv4_address, "10.200.7.20");
  EXPECT_EQ(fake_.InspectContainer(StartedNode("ranged", "lan")).networks.at("lan").ipv4_address,
            "10.200.7.128");

  ContainerSpec clash = NodeSpec("clash", "lan");
  clash.network.endpoint->ipv4_address = "10.200.7.20";
  std::string clash_id = fake_.CreateContainer(clash);
  EXPECT_THAT(ErrorFrom([&] { fake_.StartContainer(clash_id); }).what(),
              HasSubstr("Address already in use"));
  EXPECT_EQ(fake_.InspectContainer(clash_id).state.status, "created");

  ContainerSpec outside = NodeSpec("outside", "lan");
  outside.network.endpoint->ipv4_address = "10.9.9.9";
  EXPECT_EQ(ErrorFrom([&] { fake_.CreateContainer(outside); }).code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(FakeDockerClientTest, ContainerNamesAreUniqueAndChecked) {
  fake_.CreateContainer(NodeSpec("n1", "bridge"));
  Error taken = ErrorFrom([&] { fake_.CreateContainer(NodeSpec("n1", "bridge")); });
  EXPECT_EQ(taken.code(), ErrorCode::kConflict);
  EXPECT_THAT(taken.what(), HasSubstr("is already in use"));
  EXPECT_EQ(ErrorFrom([&] { fake_.CreateContainer(NodeSpec("node 1", "bridge")); }).code(),
            ErrorCode::kInvalidArgument);
  ContainerSpec unnamed = NodeSpec("", "bridge");
  EXPECT_THAT(fake_.InspectContainer(fake_.CreateContainer(unnamed)).name, Not(IsEmpty()));
}

TEST_F(FakeDockerClientTest, UnknownImageOrNetworkIsNotFound) {
  ContainerSpec spec = NodeSpec("n1", "bridge");
  spec.image = "cirque-test/no-such-image";
  Error image = ErrorFrom([&] { fake_.CreateContainer(spec); });
  EXPECT_EQ(image.code(), ErrorCode::kNotFound);
  EXPECT_THAT(image.what(), HasSubstr("No such image: cirque-test/no-such-image:latest"));
  EXPECT_EQ(image.request().path, "/containers/create");
  Error network = ErrorFrom([&] { fake_.CreateContainer(NodeSpec("n1", "no-such-lan")); });
  EXPECT_EQ(network.code(), ErrorCode::kNotFound);
  EXPECT_THAT(network.what(), HasSubstr("network no-such-lan not found"));
  EXPECT_THAT(fake_.LiveContainers(), IsEmpty());
}

TEST_F(FakeDockerClientTest, ClientSideChecksThrowWhatTheRealClientThrows) {
  ContainerSpec spec;  // no image
  Error error = ErrorFrom([&] { fake_.CreateContainer(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(error.has_request());
  EXPECT_THAT(error.what(), HasSubstr("container spec: image"));
}

TEST_F(FakeDockerClientTest, ListsContainersAndNetworksByLabel) {
  fake_.CreateNetwork(LanSpec("lan", "10.200.5.0/24"));
  ContainerSpec agent = NodeSpec("agent", "lan");
  agent.labels = {{"cirque.home", "h2"}, {"cirque.owner", "host:1:2"}, {"cirque.role", "agent"}};
  fake_.CreateContainer(agent);
  StartedNode("n1", "lan");
  StartedNode("n2", "lan");

  auto names = [](const std::vector<ContainerSummary>& rows) {
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(row.name);
    return names;
  };
  EXPECT_THAT(names(fake_.ListContainers({{"cirque.home", "h1"}})), ElementsAre("n2", "n1"));
  EXPECT_THAT(names(fake_.ListContainers({{"cirque.owner", ""}})), ElementsAre("agent"));
  EXPECT_THAT(fake_.ListContainers({{"cirque.role", "node"}, {"cirque.home", "h2"}}), IsEmpty());
  EXPECT_THAT(fake_.ListContainers({}), SizeIs(3));
  ContainerSummary row = fake_.ListContainers({{"cirque.role", "agent"}}).at(0);
  EXPECT_EQ(row.state, "created");
  EXPECT_EQ(row.image, kImage);
  EXPECT_EQ(row.labels.at("cirque.owner"), "host:1:2");

  EXPECT_THAT(fake_.ListNetworks({{"cirque.home", ""}}), SizeIs(1));
  EXPECT_THAT(fake_.ListNetworks({{"cirque.home", "h2"}}), IsEmpty());
}

// The engine-feature probe's shape: an unnamed container whose command ends;
// the caller waits for it and reads its log.
TEST_F(FakeDockerClientTest, ScriptedContainerEndsAndWaitReturnsItsCode) {
  fake_.OnContainerStart([](const CreatedContainer& container) -> std::optional<ContainerScript> {
    if (container.spec.labels.count("cirque.probe") == 0) return std::nullopt;
    return ContainerScript{.exit_code = 0, .stdout_text = "netem yes\nkernel 6.1\n",
                           .stderr_text = "warning\n"};
  });
  ContainerSpec probe = NodeSpec("", "none");
  probe.labels = {{"cirque.probe", "1"}};
  probe.network = {.network_mode = "none"};
  std::string id = fake_.CreateContainer(probe);
  fake_.StartContainer(id);
  EXPECT_EQ(fake_.WaitContainer(id, std::chrono::seconds(30)), 0);
  EXPECT_EQ(fake_.InspectContainer(id).state.status, "exited");
  ContainerLogs logs = fake_.Logs(id);
  EXPECT_EQ(logs.stdout_text, "netem yes\nkernel 6.1\n");
  EXPECT_EQ(logs.stderr_text, "warning\n");
  EXPECT_EQ(fake_.Logs(id, {.stderr = false, .tail = 1}).stdout_text, "kernel 6.1\n");
  EXPECT_THAT(fake_.InspectContainer(id).networks.at("none").ipv4_address, IsEmpty());
}

TEST_F(FakeDockerClientTest, WaitOnARunningContainerBlocksUntilItStopsOrTheDeadline) {
  std::string id = StartedNode("n1", "bridge");
  Error error = ErrorFrom([&] { fake_.WaitContainer(id, std::chrono::milliseconds(20)); });
  EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(error.what(), HasSubstr(id));

  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    fake_.KillContainer(id);
  });
  EXPECT_EQ(fake_.WaitContainer(id, std::chrono::seconds(30)), 137);
  killer.join();
  EXPECT_EQ(ErrorFrom([&] { fake_.KillContainer(id); }).code(), ErrorCode::kConflict);
}

TEST_F(FakeDockerClientTest, CopiesAreRecordedAndFilesComeBack) {
  std::string id = StartedNode("n1", "bridge");
  TarWriter writer;
  writer.AddDirectory("conf");
  writer.AddFile("conf/hostapd.conf", "ssid=home\n");
  std::string tar = writer.Finish();
  fake_.CopyToContainer("n1", "/etc/", tar);
  EXPECT_THAT(fake_.CopiedTars(id, "/etc"), ElementsAre(tar));
  EXPECT_EQ(fake_.CopyCalls().at(0).container_name, "n1");

  std::vector<TarEntry> file = ReadTar(fake_.CopyFromContainer(id, "/etc/conf/hostapd.conf"));
  ASSERT_THAT(file, SizeIs(1));
  EXPECT_EQ(file[0].name, "hostapd.conf");
  EXPECT_EQ(file[0].content, "ssid=home\n");
  std::vector<TarEntry> directory = ReadTar(fake_.CopyFromContainer(id, "/etc/conf"));
  ASSERT_THAT(directory, SizeIs(2));
  EXPECT_EQ(directory[1].name, "conf/hostapd.conf");

  fake_.PutFile(id, "/var/log/capture.pcap", "pcap bytes");
  EXPECT_EQ(ReadTar(fake_.CopyFromContainer(id, "/var/log/capture.pcap")).at(0).content,
            "pcap bytes");
  Error missing = ErrorFrom([&] { fake_.CopyFromContainer(id, "/no/such/file"); });
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.what(), HasSubstr("Could not find the file /no/such/file"));
}

TEST_F(FakeDockerClientTest, KnowsOnlyItsImages) {
  std::string id = fake_.AddImage("busybox", {{"cirque.image", "base"}});
  EXPECT_EQ(fake_.InspectImage("busybox:latest").id, id);
  EXPECT_EQ(fake_.InspectImage(id.substr(7, 12)).id, id);
  fake_.TagImage("busybox", "cirque/base", "2");
  EXPECT_THAT(fake_.InspectImage(id).tags, ElementsAre("busybox:latest", "cirque/base:2"));
  EXPECT_THAT(fake_.ListImages({{"cirque.image", ""}}), SizeIs(1));

  ContainerSpec spec = NodeSpec("user", "bridge");
  spec.image = "cirque/base:2";
  std::string user = fake_.CreateContainer(spec);
  fake_.RemoveImage("busybox");  // one of two tags: untagged only
  EXPECT_EQ(ErrorFrom([&] { fake_.RemoveImage("cirque/base:2"); }).code(), ErrorCode::kConflict);
  fake_.RemoveContainer(user);
  fake_.RemoveImage("cirque/base:2");
  EXPECT_EQ(ErrorFrom([&] { fake_.InspectImage(id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorFrom([&] { fake_.LoadImages(TarSource{}); }).code(),
            ErrorCode::kFailedPrecondition);
}

// --- Exec ------------------------------------------------------------------------

TEST_F(FakeDockerClientTest, ExecHandlersAnswerNewestFirstAndEveryExecIsRecorded) {
  std::string id = StartedNode("n1", "bridge");
  EXPECT_EQ(fake_.Exec(id, {.cmd = {"true"}}).exit_code, 0);  // the default answer

  fake_.AnswerExec({"ip", "addr"}, ExecResult{0, "inet 10.0.0.2\n", ""});
  fake_.OnExec([](const ExecCall& call) -> std::optional<ExecResult> {
    if (call.argv.back() != "eth9") return std::nullopt;  // defer to older handlers
    return ExecResult{1, "", "Device \"eth9\" does not exist.\n"};
  });
  std::string streamed;
  ExecSpec spec{.cmd = {"ip", "addr", "show", "eth0"}, .env = {"MODE=test"}};
  spec.on_output = [&](OutputStream, std::string_view data) { streamed.append(data); };
  ExecResult shown = fake_.Exec("n1", spec);
  EXPECT_EQ(shown.stdout_text, "inet 10.0.0.2\n");
  EXPECT_EQ(streamed, "inet 10.0.0.2\n");
  ExecResult missing = fake_.Exec(id, {.cmd = {"ip", "addr", "show", "eth9"}});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("eth9"));

  std::vector<ExecCall> calls = fake_.ExecCalls();
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_EQ(calls[1].container_id, id);
  EXPECT_EQ(calls[1].container_name, "n1");
  EXPECT_THAT(calls[1].spec.env, ElementsAre("MODE=test"));
  EXPECT_FALSE(calls[1].detached);
  EXPECT_THAT(fake_.ExecArgvs().back(), ElementsAre("ip", "addr", "show", "eth9"));
  EXPECT_EQ(fake_.InspectExec(calls[2].exec_id).exit_code, 1);
}

TEST_F(FakeDockerClientTest, ExecInAContainerThatIsNotRunningIsAConflict) {
  std::string id = fake_.CreateContainer(NodeSpec("n1", "bridge"));
  Error error = ErrorFrom([&] { fake_.Exec(id, {.cmd = {"true"}}); });
  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  EXPECT_EQ(error.http_status(), 409);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("not running"), HasSubstr(id)));
  EXPECT_EQ(error.request().path, "/containers/" + id + "/exec");
  EXPECT_THAT(fake_.ExecCalls(), IsEmpty());
  EXPECT_EQ(ErrorFrom([&] { fake_.Exec("ghost", {.cmd = {"true"}}); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(ErrorFrom([&] { fake_.Exec(id, {}); }).code(), ErrorCode::kInvalidArgument);
}

TEST_F(FakeDockerClientTest, DetachedExecRunsUntilFinishedOrItsContainerStops) {
  std::string id = StartedNode("n1", "bridge");
  std::string daemon = fake_.ExecDetached(id, {.cmd = {"hostapd", "/etc/hostapd.conf"}});
  std::string other = fake_.ExecDetached(id, {.cmd = {"tcpdump"}});
  EXPECT_TRUE(fake_.InspectExec(daemon).running);
  EXPECT_GT(fake_.InspectExec(daemon).pid, 0);
  fake_.FinishExec(daemon, 3);
  EXPECT_EQ(fake_.InspectExec(daemon).exit_code, 3);
  EXPECT_FALSE(fake_.InspectExec(daemon).running);
  fake_.StopContainer(id);
  EXPECT_FALSE(fake_.InspectExec(other).running);
  EXPECT_TRUE(fake_.ExecCalls().at(1).detached);
}

// --- Injected failures and call counts ------------------------------------------

TEST_F(FakeDockerClientTest, TheNthCallFailsWithTheGivenErrorAndChangesNothing) {
  fake_.FailCall("CreateContainer", 3, Error(ErrorCode::kUnavailable, "engine went away"));
  fake_.CreateContainer(NodeSpec("n1", "bridge"));
  fake_.CreateContainer(NodeSpec("n2", "bridge"));
  Error error = ErrorFrom([&] { fake_.CreateContainer(NodeSpec("n3", "bridge")); });
  EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
  EXPECT_STREQ(error.what(), "engine went away");
  fake_.CreateContainer(NodeSpec("n3", "bridge"));  // the fourth succeeds
  EXPECT_EQ(fake_.CallCount("CreateContainer"), 4);
  EXPECT_THAT(fake_.LiveContainers(), SizeIs(3));
  EXPECT_THAT(fake_.CreatedContainers(), SizeIs(3));
  EXPECT_EQ(fake_.CreatedSpec("n3").labels.at("cirque.role"), "node");

  EXPECT_EQ(ErrorFrom([&] { fake_.FailCall("CreateContainer", 2, error); }).code(),
            ErrorCode::kInvalidArgument);  // already made
  EXPECT_EQ(ErrorFrom([&] { fake_.FailCall("CreateContaner", 9, error); }).code(),
            ErrorCode::kInvalidArgument);  // a typo would never fire
  fake_.FailNextCall("Ping", error);
  EXPECT_EQ(ErrorFrom([&] { fake_.Ping(); }).code(), ErrorCode::kUnavailable);
  fake_.Ping();
}

TEST_F(FakeDockerClientTest, HooksSeeEveryCallAndMayRefuseIt) {
  std::vector<std::string> seen;
  fake_.BeforeCall([&](const std::string& operation, const std::string& target) {
    seen.push_back(operation + " " + target);
    if (operation == "RemoveNetwork") throw Error(ErrorCode::kInternal, "refused by hook");
  });
  std::string id = StartedNode("n1", "bridge");
  EXPECT_THAT(ErrorFrom([&] { fake_.RemoveNetwork("bridge"); }).what(), HasSubstr("hook"));
  EXPECT_THAT(seen, ElementsAre("CreateContainer n1", "StartContainer " + id,
                                "RemoveNetwork bridge"));
  EXPECT_EQ(fake_.CallCounts().at("RemoveNetwork"), 1);
}

TEST_F(FakeDockerClientTest, VersionAndEndpointArePlausibleAndDistinctPerFake) {
  FakeDockerClient other;
  EXPECT_EQ(fake_.Version().api_version, "1.41");
  EXPECT_TRUE(fake_.endpoint().IsLocal());
  EXPECT_NE(fake_.endpoint().ToString(), other.endpoint().ToString());
  EXPECT_THAT(fake_.Info().kernel_version, Not(IsEmpty()));
  fake_.Ping();
}

// --- Concurrency ------------------------------------------------------------------

// Threads race to create containers and networks; each name and each subnet
// must be won exactly once, and every started container must get its own
// address. Repeated, as a race shows only sometimes.
TEST(FakeDockerClientConcurrencyTest, ConcurrentCreatesKeepNamesSubnetsAndAddressesUnique) {
  constexpr int kRounds = 20;
  constexpr int kThreads = 8;
  constexpr int kNodesPerThread = 10;
  for (int round = 0; round < kRounds; ++round) {
    FakeDockerClient fake;
    fake.AddImage(kImage);
    fake.CreateNetwork(LanSpec("lan", "10.200.0.0/24"));
    std::atomic<int> shared_name_wins{0}, subnet_wins{0}, overlaps{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kNodesPerThread; ++i) {
          std::string name = "n" + std::to_string(t) + "-" + std::to_string(i);
          fake.StartContainer(fake.CreateContainer(NodeSpec(name, "lan")));
        }
        try {
          fake.CreateContainer(NodeSpec("shared", "lan"));
          ++shared_name_wins;
        } catch (const Error& error) {
          EXPECT_EQ(error.code(), ErrorCode::kConflict);
        }
        try {
          fake.CreateNetwork(LanSpec("wan" + std::to_string(t), "10.201.0.0/24"));
          ++subnet_wins;
        } catch (const Error& error) {
          if (std::string(error.what()).find("overlap") != std::string::npos) ++overlaps;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(shared_name_wins.load(), 1);
    EXPECT_EQ(subnet_wins.load(), 1);
    EXPECT_EQ(overlaps.load(), kThreads - 1);
    std::set<std::string> ids, addresses;
    for (const auto& container : fake.LiveContainers()) {
      ids.insert(container.id);
      if (container.state.running) addresses.insert(container.networks.at("lan").ipv4_address);
    }
    EXPECT_EQ(ids.size(), kThreads * kNodesPerThread + 1u);
    EXPECT_EQ(addresses.size(), static_cast<size_t>(kThreads * kNodesPerThread));
    EXPECT_EQ(fake.CallCount("CreateContainer"), kThreads * (kNodesPerThread + 1));
  }
}

// A hook that blocks holds one call in flight; the others must not wait for
// it, as each call takes the fake's lock only briefly.
TEST(FakeDockerClientConcurrencyTest, ABlockedCallDoesNotBlockOthers) {
  FakeDockerClient fake;
  fake.AddImage(kImage);
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false, blocked = false;
  fake.BeforeCall([&](const std::string& operation, const std::string& target) {
    if (operation != "CreateContainer" || target != "slow") return;
    std::unique_lock<std::mutex> lock(mutex);
    blocked = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
  });
  std::thread slow([&] { fake.CreateContainer(NodeSpec("slow", "bridge")); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return blocked; });
  }
  fake.StartContainer(fake.CreateContainer(NodeSpec("fast", "bridge")));
  EXPECT_THAT(fake.LiveContainers(), SizeIs(1));
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  slow.join();
  EXPECT_THAT(fake.LiveContainers(), SizeIs(2));
}

}  // namespace
}  // namespace cirque::docker::testing
