// Covers DOCKER_HOST parsing and its errors.
#include "cirque_test/docker/endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::docker {
namespace {

TEST(DockerEndpointTest, ParsesUnixAndTcp) {
  DockerEndpoint unix_socket = DockerEndpoint::Parse("unix:///run/user/docker.sock");
  EXPECT_TRUE(unix_socket.IsLocal());
  EXPECT_EQ(unix_socket.socket_path, "/run/user/docker.sock");
  DockerEndpoint tcp = DockerEndpoint::Parse("tcp://127.0.0.1:23750/");
  EXPECT_FALSE(tcp.IsLocal());
  EXPECT_EQ(tcp.host, "127.0.0.1");
  EXPECT_EQ(tcp.port, 23750);
  EXPECT_EQ(tcp.ToString(), "tcp://127.0.0.1:23750");
}

TEST(DockerEndpointTest, RejectsBadValuesNamingThem) {
  for (const char* bad : {"http://x:1", "tcp://host", "tcp://h:0", "tcp://h:99999", "unix://rel"}) {
    try {
      DockerEndpoint::Parse(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
      EXPECT_THAT(error.what(), ::testing::HasSubstr(bad));
    }
  }
}

}  // namespace
}  // namespace cirque::docker
