#include "cirque_test/home/node.h"

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::home {

Node::Node(VirtualHome& home, NodeSpec spec, std::vector<std::unique_ptr<Capability>> capabilities)
    : home_(home),
      home_id_(home.id()),
      home_name_(home.name()),
      spec_(std::move(spec)),
      capabilities_(std::move(capabilities)) {}

Node::~Node() = default;

const std::string& Node::home_id() const { return home_id_; }
HomeContext& Node::home() { return home_; }

std::string Node::image() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return image_;
}

bool Node::removed() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return removed_;
}

std::string Node::container_id() const { return LiveContainer(); }

int Node::host_pid() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return host_pid_;
}

std::string Node::ipv4_address() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return ipv4_address_;
}

std::string Node::ipv6_address() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return ipv6_address_;
}

std::string Node::network_name() const { return home_.NetworkName(spec_.network); }

std::string Node::subnet() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return subnet_;
}

std::string Node::gateway() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return gateway_;
}

Error Node::RemovedError() const {
  return Error(ErrorCode::kFailedPrecondition,
               "node '" + spec_.name + "' of home '" + home_name_ + "' was removed (or never made)");
}

Error Node::NoSuchCapability(const std::string& capability_name) const {
  std::string known;
  for (const auto& capability : capabilities_) known += (known.empty() ? "" : ", ") + capability->name();
  return Error(ErrorCode::kNotFound, "node '" + spec_.name + "' has no capability '" + capability_name +
                                         "'; it has: " + (known.empty() ? "(none)" : known));
}

Error Node::CapabilityOfAnotherType(const std::string& capability_name) const {
  return Error(ErrorCode::kInvalidArgument, "node '" + spec_.name + "': capability '" + capability_name +
                                                "' is not of the type asked for (a node of type '" +
                                                spec_.type + "' makes another kind)");
}

std::string Node::LiveContainer() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  if (removed_ || container_id_.empty()) throw RemovedError();
  return container_id_;
}

docker::ContainerSpec Node::ContainerConfiguration(const std::string& image,
                                                   const std::string& network_name) {
  docker::ContainerSpec container;
  container.image = image;
  container.name = "cirque-" + home_.id() + "-" + spec_.name;
  container.labels = HomeLabels(home_.id());
  container.labels[kNodeLabel] = spec_.name;
  container.labels[kRoleLabel] = "node";
  try {
    container.labels[kSpecLabel] = NodeSpecToJson(spec_);
  } catch (const std::exception&) {
    // Text JSON cannot carry (invalid UTF-8 in an argument): the node works,
    // only a later adoption refuses it, saying the label is missing.
  }
  container.labels[kHomeNameLabel] = home_name_;
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
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
  for (auto& capability : capabilities_) capability->Configure(container);
  return container;
}

void Node::Create(const std::string& image, const std::string& network_name) {
  docker::ContainerSpec configuration = ContainerConfiguration(image, network_name);
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (removed_) throw RemovedError();
    image_ = image;
  }
  std::string id = home_.client().CreateContainer(configuration);
  std::lock_guard<std::mutex> lock(state_mutex_);
  container_id_ = id;
}

void Node::CloseExecChannel() {
  std::lock_guard<std::mutex> lock(state_mutex_);
  exec_channel_.reset();
  ++exec_generation_;
}

void Node::Start() {
  // A restart ends the agent with the container's processes.
  CloseExecChannel();
  home_.client().StartContainer(LiveContainer());
}

void Node::OpenExecChannel() {
  const std::shared_ptr<const std::string>& agent = home_.exec_agent();
  std::lock_guard<std::mutex> opening(opening_mutex_);
  // The agent of an earlier start of the container has ended with it.
  if (exec_channel_opening_.valid()) exec_channel_opening_.wait();
  std::string container;
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    exec_channel_.reset();
    generation = ++exec_generation_;
    container = container_id_;
    exec_path_ = agent == nullptr || agent->empty() ? "docker exec" : "docker exec (the exec agent is starting)";
  }
  if (agent == nullptr || agent->empty()) return;
  exec_channel_opening_ = std::async(std::launch::async, [this, agent, container, generation] {
    std::shared_ptr<ExecChannel> channel;
    std::string path = "exec agent";
    try {
      Timeline::Scope step(home_.timeline(), "exec agent " + spec_.name);
      channel = ExecChannel::Open(home_.client(), container, *agent, std::chrono::seconds(30));
    } catch (const std::exception& error) {
      path = std::string("docker exec (the exec agent did not start: ") + error.what() + ")";
    }
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (generation != exec_generation_ || removed_) return;
    exec_channel_ = std::move(channel);
    exec_path_ = path;
  });
}

void Node::AwaitExecChannel() {
  std::lock_guard<std::mutex> opening(opening_mutex_);
  if (exec_channel_opening_.valid()) exec_channel_opening_.wait();
}

void Node::RefreshAddresses(const std::string& network_name) {
  std::string id = LiveContainer();
  docker::ContainerInfo info = home_.client().InspectContainer(id);
  if (!info.state.running) {
    docker::ContainerLogs logs = home_.client().Logs(id, {.tail = 10});
    throw Error(ErrorCode::kInternal,
                "node '" + spec_.name + "': container is " + info.state.status + " (exit code " +
                    std::to_string(info.state.exit_code) + ") right after start: " +
                    LastLines(logs.stdout_text + logs.stderr_text, 5) + info.state.error);
  }
  std::string subnet = home_.NetworkSubnet(spec_.network);
  std::lock_guard<std::mutex> lock(state_mutex_);
  host_pid_ = info.state.pid;
  auto network = info.networks.find(network_name);
  if (network != info.networks.end()) {
    ipv4_address_ = network->second.ipv4_address;
    ipv6_address_ = network->second.ipv6_address;
    gateway_ = network->second.gateway;
    subnet_ = subnet;
  }
}

void Node::Attach(const std::string& container_id, const std::string& image, const std::string& network_name) {
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    container_id_ = container_id;
    image_ = image;
  }
  RefreshAddresses(network_name);
}

namespace {

// Runs one step of one capability; its errors, foreign exceptions
// included, name the node, the step and the capability. An unmet
// requirement passes as it is (the fixtures turn it into a skip).
template <typename Step>
void NamingErrors(const std::string& node, const Capability& capability, const char* doing, Step&& step) {
  try {
    step();
  } catch (const UnmetRequirementError&) {
    throw;
  } catch (const Error& error) {
    throw Error(error.code(), "node '" + node + "': " + doing + " " + capability.name() + ": " + error.what());
  } catch (const std::exception& error) {
    throw Error(ErrorCode::kInternal, "node '" + node + "': " + doing + " " + capability.name() + ": " + error.what());
  }
}

}  // namespace

void Node::AdoptCapabilities() {
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
  for (auto& capability : capabilities_) {
    NamingErrors(spec_.name, *capability, "adopting", [&] { capability->Adopt(*this); });
    enabled_.push_back(capability.get());
  }
}

void Node::EquipCapabilities() {
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
  for (auto& capability : capabilities_) {
    NamingErrors(spec_.name, *capability, "equipping", [&] { capability->Equip(*this); });
  }
}

void Node::EnableCapabilities() {
  // Enabling is a few commands per capability: through the agent once it
  // answers (its start, begun with the container's, is mostly done by
  // now), rather than as docker execs competing with that start.
  if (!capabilities_.empty()) AwaitExecChannel();
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
  for (auto& capability : capabilities_) {
    NamingErrors(spec_.name, *capability, "enabling", [&] {
      Timeline::Scope step(home_.timeline(), "enable " + capability->name() + " " + spec_.name);
      capability->Enable(*this);
    });
    enabled_.push_back(capability.get());
  }
}

std::vector<std::string> Node::DisableCapabilities() {
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
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
  std::string id;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    removed_ = true;
    id = container_id_;
    exec_channel_.reset();
  }
  if (id.empty()) return;
  // The agent being started uses the home, so it must have ended before
  // the home goes; and it ends first, before the container goes: an exec
  // started as its container is removed can hang in the engine until the
  // exec's deadline (seen: 30 s to remove a home made a moment before).
  AwaitExecChannel();
  try {
    home_.client().RemoveContainer(id, true);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kNotFound) throw;
  }
}

docker::ExecResult Node::Exec(const std::vector<std::string>& argv,
                              std::chrono::milliseconds deadline) {
  return Exec(docker::ExecSpec{.cmd = argv, .deadline = deadline});
}

docker::ExecResult Node::Exec(docker::ExecSpec spec) {
  const std::string container = LiveContainer();
  std::shared_ptr<ExecChannel> channel;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    channel = exec_channel_;
  }
  // The agent runs commands with its own environment, user and directory,
  // and answers whole: what asks for other ones, or for output as it
  // comes, goes through docker exec.
  const bool plain = spec.env.empty() && spec.user.empty() && spec.working_dir.empty() && !spec.on_output;
  if (channel != nullptr && plain) {
    if (auto result = channel->TryRun(spec.cmd, spec.deadline, spec.max_output_bytes)) return *result;
  }
  return home_.client().Exec(container, spec);
}

docker::ExecResult Node::HostExec(const std::vector<std::string>& argv) {
  return home_.agent().Exec(argv);
}

HostRules& Node::host_rules() { return home_.host_rules(); }

std::string Node::ExecBackground(const std::vector<std::string>& argv) {
  return home_.client().ExecDetached(LiveContainer(), {.cmd = argv});
}

void Node::WriteFile(const std::string& path, const std::string& content, int mode) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || path.front() != '/') {
    throw Error(ErrorCode::kInvalidArgument, "node '" + spec_.name + "': WriteFile path '" + path +
                                                 "' is not absolute");
  }
  TarWriter tar;
  tar.AddFile(path.substr(slash + 1), content, mode);
  const std::string container = LiveContainer();
  try {
    home_.client().CopyToContainer(container, slash == 0 ? "/" : path.substr(0, slash), tar.Finish());
  } catch (const Error& error) {
    // The engine keeps what it extracted before the failure (on a full
    // disk, the first bytes of the file, holding the space): remove it.
    std::string removed = "the partial file was removed";
    try {
      docker::ExecResult rm = home_.client().Exec(container, {.cmd = {"rm", "-f", "--", path},
                                                              .deadline = std::chrono::seconds(10)});
      if (rm.exit_code != 0) removed = "removing the partial file failed: " + LastLines(rm.stderr_text, 1);
    } catch (const Error& rm_error) {
      removed = std::string("removing the partial file failed: ") + rm_error.what();
    }
    throw Error(error.code(), "node '" + spec_.name + "': writing '" + path + "' failed (" + removed +
                                  "): " + error.what());
  }
}

docker::ExecInfo Node::BackgroundState(const std::string& exec_id) {
  return home_.client().InspectExec(exec_id);
}

docker::ContainerLogs Node::Logs(const docker::LogOptions& options) {
  return home_.client().Logs(LiveContainer(), options);
}

std::map<std::string, std::string> Node::CollectArtifacts() {
  std::string id = LiveContainer();
  std::vector<std::string> paths;
  {
    std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
    for (auto& capability : capabilities_) {
      for (const auto& path : capability->Artifacts()) paths.push_back(path);
    }
  }
  std::map<std::string, std::string> artifacts;
  for (const auto& path : paths) {
    try {
      for (const auto& entry : ReadTar(home_.client().CopyFromContainer(id, path))) {
        if (entry.type == TarEntryType::kFile) artifacts[path] = entry.content;
      }
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) throw;
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
  std::string id;
  bool removed;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    description.image = image_;
    description.container_id = id = container_id_;
    description.ipv4_address = ipv4_address_;
    description.ipv6_address = ipv6_address_;
    description.exec_path = exec_path_;
    removed = removed_;
  }
  description.state = "removed";
  if (!removed && !id.empty()) {
    try {
      description.state = home_.client().InspectContainer(id).state.status;
    } catch (const Error& error) {
      // Removed meanwhile: the engine no longer knows it.
      if (error.code() != ErrorCode::kNotFound) throw;
    }
  }
  std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
  for (auto& capability : capabilities_) {
    description.capabilities.push_back(capability->name());
    description.capability_details[capability->name()] = capability->Describe();
  }
  return description;
}

}  // namespace cirque::home
