#include "cirque_test/home/node.h"

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::home {

Node::Node(VirtualHome& home, NodeSpec spec, std::vector<std::unique_ptr<Capability>> capabilities)
    : home_(home), spec_(std::move(spec)), capabilities_(std::move(capabilities)) {}

Node::~Node() = default;

const std::string& Node::home_id() const { return home_.id(); }

docker::ContainerSpec Node::ContainerConfiguration(const std::string& image,
                                                   const std::string& network_name) {
  docker::ContainerSpec container;
  container.image = image;
  container.name = "cirque-" + home_.id() + "-" + spec_.name;
  container.labels = HomeLabels(home_.id());
  container.labels[kNodeLabel] = spec_.name;
  container.labels[kRoleLabel] = "node";
  container.network.hostname = spec_.name;
  container.network.endpoint = docker::EndpointSpec{.network = network_name, .aliases = {spec_.name}};
  container.process.env = spec_.env;
  // Docker's init as PID 1 forwards signals and reaps background processes.
  container.process.init = true;
  if (spec_.command.empty()) {
    container.process.entrypoint = std::vector<std::string>{"sleep"};
    container.process.cmd = {"infinity"};
  } else {
    container.process.entrypoint = std::vector<std::string>{};
    container.process.cmd = spec_.command;
  }
  for (auto& capability : capabilities_) capability->Configure(container);
  return container;
}

void Node::Create(const std::string& image, const std::string& network_name) {
  image_ = image;
  container_id_ = home_.client().CreateContainer(ContainerConfiguration(image, network_name));
}

void Node::Start() {
  home_.client().StartContainer(container_id_);
}

void Node::RefreshAddresses(const std::string& network_name) {
  docker::ContainerInfo info = home_.client().InspectContainer(container_id_);
  if (!info.state.running) {
    docker::ContainerLogs logs = home_.client().Logs(container_id_, {.tail = 10});
    throw Error(ErrorCode::kInternal,
                "node '" + spec_.name + "': container is " + info.state.status + " (exit code " +
                    std::to_string(info.state.exit_code) + ") right after start: " +
                    LastLines(logs.stdout_text + logs.stderr_text, 5) + info.state.error);
  }
  host_pid_ = info.state.pid;
  auto network = info.networks.find(network_name);
  if (network != info.networks.end()) {
    ipv4_address_ = network->second.ipv4_address;
    ipv6_address_ = network->second.ipv6_address;
    gateway_ = network->second.gateway;
    subnet_ = home_.NetworkSubnet(spec_.network);
  }
}

void Node::EnableCapabilities() {
  for (auto& capability : capabilities_) {
    try {
      Timeline::Scope step(home_.timeline(), "enable " + capability->name() + " " + spec_.name);
      capability->Enable(*this);
    } catch (const Error& error) {
      throw Error(error.code(), "node '" + spec_.name + "': enabling " + capability->name() +
                                    ": " + error.what());
    }
    enabled_.push_back(capability.get());
  }
}

std::vector<std::string> Node::DisableCapabilities() {
  std::vector<std::string> problems;
  for (auto it = enabled_.rbegin(); it != enabled_.rend(); ++it) {
    try {
      (*it)->Disable(*this);
    } catch (const std::exception& error) {
      problems.push_back("node '" + spec_.name + "': disabling " + (*it)->name() + ": " +
                         error.what());
    }
  }
  enabled_.clear();
  return problems;
}

void Node::Remove() {
  if (container_id_.empty()) return;
  try {
    home_.client().RemoveContainer(container_id_, true);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kNotFound) throw;
  }
  container_id_.clear();
}

docker::ExecResult Node::Exec(const std::vector<std::string>& argv,
                              std::chrono::milliseconds deadline) {
  return Exec(docker::ExecSpec{.cmd = argv, .deadline = deadline});
}

docker::ExecResult Node::Exec(docker::ExecSpec spec) {
  return home_.client().Exec(container_id_, spec);
}

docker::ExecResult Node::HostExec(const std::vector<std::string>& argv) {
  return home_.agent().Exec(argv);
}

HostRules& Node::host_rules() { return home_.host_rules(); }

RadioAttachment Node::AttachRadio(const std::string& interface) {
  RadioMedium& medium = home_.radios();
  Timeline::Scope step(home_.timeline(), "attach radio " + spec_.name);
  return medium.Attach(container_id_, host_pid_, interface);
}

void Node::DetachRadio(const RadioAttachment& radio) { home_.radios().Detach(container_id_, radio); }

std::string Node::ExecBackground(const std::vector<std::string>& argv) {
  return home_.client().ExecDetached(container_id_, {.cmd = argv});
}

void Node::WriteFile(const std::string& path, const std::string& content, int mode) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || path.front() != '/') {
    throw Error(ErrorCode::kInvalidArgument, "node '" + spec_.name + "': WriteFile path '" + path +
                                                 "' is not absolute");
  }
  TarWriter tar;
  tar.AddFile(path.substr(slash + 1), content, mode);
  home_.client().CopyToContainer(container_id_, slash == 0 ? "/" : path.substr(0, slash), tar.Finish());
}

docker::ExecInfo Node::BackgroundState(const std::string& exec_id) {
  return home_.client().InspectExec(exec_id);
}

docker::ContainerLogs Node::Logs(const docker::LogOptions& options) {
  return home_.client().Logs(container_id_, options);
}

std::map<std::string, std::string> Node::CollectArtifacts() {
  std::map<std::string, std::string> artifacts;
  for (auto& capability : capabilities_) {
    for (const auto& path : capability->Artifacts()) {
      try {
        for (const auto& entry : ReadTar(home_.client().CopyFromContainer(container_id_, path))) {
          if (entry.type == TarEntryType::kFile) artifacts[path] = entry.content;
        }
      } catch (const Error& error) {
        if (error.code() != ErrorCode::kNotFound) throw;
      }
    }
  }
  return artifacts;
}

Capability* Node::FindCapability(const std::string& capability_name) {
  for (auto& capability : capabilities_) {
    if (capability->name() == capability_name) return capability.get();
  }
  return nullptr;
}

NodeDescription Node::Describe() {
  NodeDescription description;
  description.name = spec_.name;
  description.type = spec_.type;
  description.image = image_;
  description.container_id = container_id_;
  description.state = container_id_.empty()
                          ? "removed"
                          : home_.client().InspectContainer(container_id_).state.status;
  description.ipv4_address = ipv4_address_;
  description.ipv6_address = ipv6_address_;
  for (auto& capability : capabilities_) {
    description.capabilities.push_back(capability->name());
    description.capability_details[capability->name()] = capability->Describe();
  }
  return description;
}

}  // namespace cirque::home
