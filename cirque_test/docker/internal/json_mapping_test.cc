// Covers the JSON the client sends (create bodies) and reads (inspect
// answers), and the checks made before anything is sent.
#include "cirque_test/docker/internal/json_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

using ::testing::HasSubstr;

TEST(ContainerCreateBodyTest, EncodesEveryField) {
  ContainerSpec spec;
  spec.image = "cirque/generic:abc";
  spec.name = "node1";
  spec.labels = {{"cirque.home", "h1"}};
  spec.process.cmd = {"sleep", "infinity"};
  spec.process.entrypoint = std::vector<std::string>{};
  spec.process.env = {"A=1"};
  spec.process.user = "nobody";
  spec.process.working_dir = "/work";
  spec.process.tty = true;
  spec.process.stdin_open = true;
  spec.process.init = true;
  spec.process.runtime = "runc";
  spec.security.cap_add = {"NET_ADMIN"};
  spec.security.cap_drop = {"MKNOD"};
  spec.security.devices = {{"/dev/net/tun", "", "rwm"}};
  spec.security.sysctls = {{"net.ipv4.ip_forward", "1"}};
  spec.storage.binds = {"/tmp:/host-tmp:ro"};
  spec.storage.mounts = {{MountSpec::Type::kBind, "/etc/hosts", "/x", true}};
  spec.storage.tmpfs = {{"/run", "size=8m"}};
  spec.storage.volumes_from = {"x-helper"};
  spec.network.hostname = "n1";
  spec.network.endpoint = EndpointSpec{"home-net", "172.30.0.5", "fd00::5", {"n1"}};
  spec.network.ports = {{8080, "tcp", "127.0.0.1", 0}};

  Json body = ContainerCreateBody(spec);
  EXPECT_EQ(body["Image"], "cirque/generic:abc");
  EXPECT_EQ(body["Cmd"], Json({"sleep", "infinity"}));
  EXPECT_EQ(body["Entrypoint"], Json::array());
  EXPECT_EQ(body["Env"], Json({"A=1"}));
  EXPECT_EQ(body["User"], "nobody");
  EXPECT_EQ(body["WorkingDir"], "/work");
  EXPECT_EQ(body["Tty"], true);
  EXPECT_EQ(body["OpenStdin"], true);
  EXPECT_EQ(body["Labels"]["cirque.home"], "h1");
  EXPECT_EQ(body["Hostname"], "n1");
  EXPECT_TRUE(body["ExposedPorts"].contains("8080/tcp"));
  const Json& host = body["HostConfig"];
  EXPECT_EQ(host["Init"], true);
  EXPECT_EQ(host["Runtime"], "runc");
  EXPECT_EQ(host["Privileged"], false);
  EXPECT_EQ(host["CapAdd"], Json({"NET_ADMIN"}));
  EXPECT_EQ(host["CapDrop"], Json({"MKNOD"}));
  EXPECT_EQ(host["Devices"][0]["PathInContainer"], "/dev/net/tun");
  EXPECT_EQ(host["Sysctls"]["net.ipv4.ip_forward"], "1");
  EXPECT_EQ(host["Binds"], Json({"/tmp:/host-tmp:ro"}));
  EXPECT_EQ(host["Mounts"][0]["Type"], "bind");
  EXPECT_EQ(host["Mounts"][0]["ReadOnly"], true);
  EXPECT_EQ(host["Tmpfs"]["/run"], "size=8m");
  EXPECT_EQ(host["VolumesFrom"], Json({"x-helper"}));
  EXPECT_EQ(host["NetworkMode"], "home-net");
  EXPECT_EQ(host["PortBindings"]["8080/tcp"][0]["HostIp"], "127.0.0.1");
  EXPECT_EQ(host["PortBindings"]["8080/tcp"][0]["HostPort"], "");
  const Json& endpoint = body["NetworkingConfig"]["EndpointsConfig"]["home-net"];
  EXPECT_EQ(endpoint["IPAMConfig"]["IPv4Address"], "172.30.0.5");
  EXPECT_EQ(endpoint["IPAMConfig"]["IPv6Address"], "fd00::5");
  EXPECT_EQ(endpoint["Aliases"], Json({"n1"}));
}

TEST(ContainerCreateBodyTest, LeavesUnsetFieldsToTheImage) {
  ContainerSpec spec;
  spec.image = "busybox";
  Json body = ContainerCreateBody(spec);
  EXPECT_FALSE(body.contains("Cmd"));
  EXPECT_FALSE(body.contains("Entrypoint"));
  EXPECT_FALSE(body.contains("NetworkingConfig"));
  EXPECT_FALSE(body["HostConfig"].contains("NetworkMode"));
}

TEST(ContainerCreateBodyTest, DisabledNetworkingHasNoEngineNetwork) {
  ContainerSpec spec;
  spec.image = "img";
  spec.network.disabled = true;
  Json body = ContainerCreateBody(spec);
  EXPECT_EQ(body["NetworkDisabled"], true);
  EXPECT_EQ(body["HostConfig"]["NetworkMode"], "none");
  EXPECT_FALSE(body.contains("NetworkingConfig"));

  auto refusal = [&spec]() -> std::string {
    try {
      ContainerCreateBody(spec);
    } catch (const Error& error) {
      return error.what();
    }
    return "(accepted)";
  };
  spec.network.network_mode = "home-net";
  EXPECT_THAT(refusal(), ::testing::AllOf(HasSubstr("network.network_mode"), HasSubstr("home-net")));
  spec.network.network_mode = "";
  spec.network.ports.push_back({.container_port = 80});
  EXPECT_THAT(refusal(), HasSubstr("network.disabled"));
}

TEST(ContainerCreateBodyTest, RejectsBadSpecsNamingTheField) {
  ContainerSpec no_image;
  try {
    ContainerCreateBody(no_image);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), HasSubstr("image"));
  }
  ContainerSpec bad_port;
  bad_port.image = "x";
  bad_port.network.ports = {{70000}};
  EXPECT_THROW(ContainerCreateBody(bad_port), Error);
  ContainerSpec relative_mount;
  relative_mount.image = "x";
  relative_mount.storage.mounts = {{MountSpec::Type::kTmpfs, "", "relative"}};
  try {
    ContainerCreateBody(relative_mount);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("'relative'"));
  }
}

TEST(NetworkCreateBodyTest, EncodesMacvlanWithPools) {
  NetworkSpec spec;
  spec.name = "lan";
  spec.driver = "macvlan";
  spec.enable_ipv6 = true;
  spec.options = {{"parent", "veth0"}};
  spec.labels = {{"cirque.home", "h"}};
  spec.pools = {{"172.31.9.0/24", "172.31.9.1", "172.31.9.128/25"}};
  Json body = NetworkCreateBody(spec);
  EXPECT_EQ(body["Driver"], "macvlan");
  EXPECT_EQ(body["EnableIPv6"], true);
  EXPECT_EQ(body["Options"]["parent"], "veth0");
  EXPECT_EQ(body["IPAM"]["Config"][0]["Subnet"], "172.31.9.0/24");
  EXPECT_EQ(body["IPAM"]["Config"][0]["IPRange"], "172.31.9.128/25");
}

TEST(NetworkCreateBodyTest, MacvlanWithoutParentIsAnError) {
  NetworkSpec spec;
  spec.name = "lan";
  spec.driver = "macvlan";
  try {
    NetworkCreateBody(spec);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("parent"));
  }
}

TEST(ParseContainerInfoTest, ReadsStateAndAddresses) {
  Json inspect = Json::parse(R"({
    "Id": "abc", "Name": "/node1", "Image": "sha256:1",
    "Config": {"Labels": {"cirque.home": "h"}, "Tty": false},
    "State": {"Status": "running", "Running": true, "Pid": 42, "ExitCode": 0, "Error": ""},
    "NetworkSettings": {"Networks": {"home": {"NetworkID": "n1", "IPAddress": "172.30.0.2",
      "IPPrefixLen": 24, "Gateway": "172.30.0.1", "MacAddress": "02:42:ac:1e:00:02",
      "GlobalIPv6Address": ""}}}})");
  ContainerInfo info = ParseContainerInfo(inspect);
  EXPECT_EQ(info.name, "node1");
  EXPECT_TRUE(info.state.running);
  EXPECT_EQ(info.state.pid, 42);
  EXPECT_EQ(info.labels.at("cirque.home"), "h");
  EXPECT_EQ(info.networks.at("home").ipv4_address, "172.30.0.2");
  EXPECT_EQ(info.networks.at("home").ipv4_prefix_length, 24);
}

TEST(ValueOrTest, FieldOfTheWrongTypeIsAnErrorQuotingIt) {
  Json answer = Json::parse(R"({"Id": 5, "RepoTags": ["a", 6]})");
  try {
    ValueOr<std::string>(answer, "Id", "");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInternal);
    EXPECT_THAT(error.what(), HasSubstr("'Id': 5"));
  }
  EXPECT_THROW(ParseImageInfo(answer), Error);
  EXPECT_EQ(ValueOr<std::string>(answer, "Missing", "fallback"), "fallback");
}

TEST(LabelFilterQueryTest, MatchesKeyOrKeyAndValue) {
  EXPECT_EQ(LabelFilterQuery({{"cirque.home", ""}, {"cirque.run", "r1"}}),
            R"({"label":["cirque.home","cirque.run=r1"]})");
}

TEST(EngineMessageTest, TakesMessageOrRawBody) {
  EXPECT_EQ(EngineMessage(R"({"message":"No such container: x"})"), "No such container: x");
  EXPECT_EQ(EngineMessage("page not found\n"), "page not found");
}

}  // namespace
}  // namespace cirque::docker::internal
