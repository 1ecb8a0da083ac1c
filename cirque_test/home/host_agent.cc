#include "cirque_test/home/host_agent.h"

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

HostAgent::HostAgent(docker::DockerClient& client, const std::string& image,
                     const std::string& home_id)
    : client_(client) {
  docker::ContainerSpec spec;
  spec.image = image;
  // '.' cannot occur in a node's name, so no node collides with the agent.
  spec.name = "cirque-" + home_id + ".agent";
  spec.labels = HomeLabels(home_id);
  spec.labels[kRoleLabel] = "agent";
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.process.init = true;
  spec.network.network_mode = "host";           // iptables of the host
  spec.security.cap_add = {"NET_ADMIN", "NET_RAW"};
  container_id_ = client_.CreateContainer(spec);
  try {
    client_.StartContainer(container_id_);
  } catch (...) {
    try {
      client_.RemoveContainer(container_id_, true);
    } catch (const std::exception&) {
      // Labelled: the reaper removes it.
    }
    throw;
  }
}

HostAgent::HostAgent(docker::DockerClient& client, std::string container_id)
    : client_(client), container_id_(std::move(container_id)) {
  if (!client_.InspectContainer(container_id_).state.running) client_.StartContainer(container_id_);
}

HostAgent::~HostAgent() {
  if (container_id_.empty()) return;  // released
  try {
    client_.RemoveContainer(container_id_, true);
  } catch (const std::exception&) {
    // The reaper removes it if the engine refused now.
  }
}

docker::ExecResult HostAgent::Exec(const std::vector<std::string>& argv) {
  return client_.Exec(container_id_, {.cmd = argv, .deadline = std::chrono::seconds(30)});
}

const std::string& HostAgent::Iptables() {
  std::call_once(iptables_found_, [this] {
    for (const char* flavour : {"iptables-nft", "iptables-legacy"}) {
      if (Exec({flavour, "-w", "-S", "DOCKER-USER"}).exit_code == 0) {
        iptables_ = flavour;
        return;
      }
    }
    throw Error(ErrorCode::kFailedPrecondition,
                "the engine's host has no DOCKER-USER chain in iptables-nft or iptables-legacy; "
                "is dockerd running with iptables enabled?");
  });
  return iptables_;
}

}  // namespace cirque::home
