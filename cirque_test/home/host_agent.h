// A helper container in the engine host's network namespace, through which
// a home changes the host: iptables rules for LAN access today, radios
// later. It works the same for a local engine and a VM's, and the test
// process needs no root on the engine's host.
//
// It has NET_ADMIN and NET_RAW, not --privileged: that is all iptables in the
// host's namespace needs. Labelled as its home's, so the reaper finds it.
//
// Thread safety: Exec may be called concurrently.
#ifndef CIRQUE_TEST_HOME_HOST_AGENT_H_
#define CIRQUE_TEST_HOME_HOST_AGENT_H_

#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

class HostAgent {
 public:
  // Starts the agent from `image` (which must have iptables and iproute2).
  // Throws the engine's Error when it cannot.
  HostAgent(docker::DockerClient& client, const std::string& image, const std::string& home_id);
  // Takes over the agent container `container_id` an earlier process made
  // (VirtualHome::Adopt), starting it if an engine restart stopped it.
  HostAgent(docker::DockerClient& client, std::string container_id);
  // Removes the container; never throws.
  ~HostAgent();
  HostAgent(const HostAgent&) = delete;
  HostAgent& operator=(const HostAgent&) = delete;

  // Forgets the container without removing it (its home is left running).
  void Release() { container_id_.clear(); }

  docker::ExecResult Exec(const std::vector<std::string>& argv);

  // "iptables-nft" or "iptables-legacy": whichever holds Docker's chains on
  // the engine's host, found once.
  const std::string& Iptables();

  const std::string& container_id() const { return container_id_; }

 private:
  docker::DockerClient& client_;
  std::string container_id_;
  std::once_flag iptables_found_;
  std::string iptables_;
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_HOST_AGENT_H_
