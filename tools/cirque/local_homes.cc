#include "tools/cirque/local_homes.h"

#include <algorithm>
#include <cstdlib>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"
#include "service/home_registry.h"
#include "service/v1_api.h"

namespace cirque::cli {
namespace {

using Json = nlohmann::json;

constexpr std::chrono::seconds kLockWait{60};

home::ServiceOwnerLock TakeFolder(const std::string& state_dir) {
  home::ServiceOwnerLock lock = home::ServiceOwnerLock::Acquire(state_dir, home::OwnerKind::kCommandLine, kLockWait);
  // Before the runtime exists: its helpers carry the owner too.
  home::SetProcessOwner(lock.owner_text());
  return lock;
}

// {id: {"name", "nodes"}} of the folder's homes, from their resources'
// labels: one list of containers and one of networks.
std::map<std::string, std::pair<std::string, std::vector<std::string>>> HomesOf(docker::DockerClient& client,
                                                                                const std::string& owner) {
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> homes;
  for (const auto& container : client.ListContainers({{home::kOwnerLabel, owner}})) {
    std::string id = home::LabelValue(container.labels, home::kHomeLabel);
    if (id.empty() || home::IsHelperHomeId(id)) continue;
    auto& home = homes[id];
    if (home::LabelValue(container.labels, home::kRoleLabel) != "node") continue;
    home.first = home::LabelValue(container.labels, home::kHomeNameLabel);
    home.second.push_back(home::LabelValue(container.labels, home::kNodeLabel));
  }
  for (const auto& network : client.ListNetworks({{home::kOwnerLabel, owner}})) {
    std::string id = home::LabelValue(network.labels, home::kHomeLabel);
    if (!id.empty() && !home::IsHelperHomeId(id)) homes[id];
  }
  for (auto& [id, home] : homes) std::sort(home.second.begin(), home.second.end());
  return homes;
}

}  // namespace

LocalHomes::LocalHomes(const std::string& state_dir)
    : lock_(TakeFolder(state_dir)), runtime_(runtime::Runtime::Default()) {}

std::shared_ptr<home::VirtualHome> LocalHomes::Adopt(const std::string& id) {
  auto homes = HomesOf(runtime_.client(), lock_.owner_text());
  if (homes.count(id) == 0) {
    std::string known;
    for (const auto& [each, home] : homes) known += (known.empty() ? "" : ", ") + each;
    throw Error(ErrorCode::kNotFound, "no home '" + id + "' made by the CLI (state in " + lock_.state_dir() +
                                          "); homes: " + (known.empty() ? "none" : known));
  }
  std::unique_ptr<home::VirtualHome> adopted = runtime_.AdoptHome(id);
  // Left running when the command is done with it.
  return std::shared_ptr<home::VirtualHome>(adopted.release(), [](home::VirtualHome* home) {
    home->Release();
    delete home;
  });
}

Json LocalHomes::CreateHome(const Json& nodes) {
  std::vector<home::NodeSpec> specs = home::ParseHomeSpecJson(nodes.dump(), runtime_.registry());
  int number = 0;
  for (const auto& [id, home] : HomesOf(runtime_.client(), lock_.owner_text())) {
    if (home.first.rfind("home-", 0) == 0) number = std::max(number, std::atoi(home.first.c_str() + 5));
  }
  std::unique_ptr<home::VirtualHome> made = runtime_.MakeHome("home-" + std::to_string(number + 1), specs);
  Json described = service::HomeJson(made->Describe());
  made->Release();
  return described;
}

Json LocalHomes::ListHomes() {
  Json list = Json::array();
  for (const auto& [id, home] : HomesOf(runtime_.client(), lock_.owner_text())) {
    list.push_back({{"id", id}, {"name", home.first}, {"nodes", home.second}});
  }
  return Json{{"homes", list}};
}

Json LocalHomes::GetHome(const std::string& home) { return service::HomeJson(Adopt(home)->Describe()); }

void LocalHomes::DeleteHome(const std::string& home) { Adopt(home)->Destroy(); }

Json LocalHomes::AddNodes(const std::string& home, const Json& nodes) {
  std::vector<home::NodeSpec> specs = home::ParseHomeSpecJson(nodes.dump(), runtime_.registry());
  std::shared_ptr<home::VirtualHome> adopted = Adopt(home);
  adopted->AddNodes(specs);
  Json made = Json::array();
  for (const auto& spec : specs) made.push_back(service::NodeJson(adopted->node(spec.name).Describe()));
  return Json{{"nodes", made}};
}

docker::ExecResult LocalHomes::Exec(const std::string& home, const std::string& node,
                                    const std::vector<std::string>& argv, long deadline_ms) {
  std::shared_ptr<home::VirtualHome> adopted = Adopt(home);
  return service::FindDevice(*adopted, node)->Exec(
      docker::ExecSpec{.cmd = argv, .deadline = std::chrono::milliseconds(deadline_ms)});
}

std::string LocalHomes::Logs(const std::string& home, const std::string& node, int tail) {
  std::shared_ptr<home::VirtualHome> adopted = Adopt(home);
  docker::ContainerLogs logs = service::FindDevice(*adopted, node)->Logs({.tail = tail});
  return logs.stdout_text + logs.stderr_text;
}

}  // namespace cirque::cli
