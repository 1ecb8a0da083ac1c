#include "cirque_test/runtime/runtime.h"

#include <algorithm>

#include "capabilities/builtin_capabilities.h"
#include "capabilities/traffic_control.h"
#include "capabilities/wifi_radio_medium.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/runtime/exec_agent_binary.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"

namespace cirque::runtime {
namespace {

docker::ClientOptions ClientOptionsForThisRun() {
  docker::ClientOptions options;
  // The client's own helpers (an exec's killer) carry this run's owner, so
  // the reaper removes them when the run dies mid-kill.
  docker::Labels owner = home::HomeLabels("client-" + home::CurrentRunId());
  options.helper_labels = owner;
  return options;
}

}  // namespace

Runtime& Runtime::Default() {
  static Runtime* runtime = new Runtime();
  return *runtime;
}

Runtime::Runtime()
    : client_(std::make_unique<docker::DockerClient>(ClientOptionsForThisRun())), exec_agent_(LoadExecAgent()) {
  capabilities::BuiltinOptions options;
  options.wifi_radio.image = images::kWifiApImage;
  options.wifi_radio.hwsim_ctl_path = capabilities::FindHwsimCtl();
  capabilities::RegisterBuiltinCapabilities(registry_, options);
}

std::string Runtime::ResolveImage(const std::string& requested) {
  // Cirque's node types use '_' ("wifi_ap"); catalogue names use '-'.
  std::string name = requested;
  std::replace(name.begin(), name.end(), '_', '-');
  bool in_catalog = false;
  for (const auto& image : images::NodeImages()) in_catalog = in_catalog || image.name == name;
  if (!in_catalog) return requested;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = resolved_.find(name); found != resolved_.end()) return found->second;
  images::ImageBuildOptions options;
  options.images_dir = images::FindImagesDir();
  images::ImageBuilder builder(*client_, images::NodeImages(), options);
  return resolved_[name] = builder.Ensure(name).reference;
}

home::HomeOptions Runtime::HomeOptionsFor(const std::string& name) {
  home::HomeOptions options;
  options.name = name;
  options.client = client_.get();
  options.registry = &registry_;
  options.resolve_image = [this](const std::string& image) { return ResolveImage(image); };
  options.helper_image = ResolveImage(images::kGenericImage);
  options.exec_agent = exec_agent_;
  return options;
}

engine::EngineReport Runtime::ProbeEngine(const std::vector<home::Requirement>& requirements) {
  std::vector<engine::FeatureProbe> probes;
  for (const auto& requirement : requirements) {
    if (requirement.kind == home::Requirement::Kind::kEngineFeature) probes.push_back({requirement.name, requirement.probe});
  }
  return engine::ProbeEngine(*client_, ResolveImage(images::kGenericImage), probes,
                             home::HomeLabels("probe-" + home::NewId()));
}

bool Runtime::EngineHas(const home::Requirement& requirement) {
  return ProbeEngine({requirement}).Has(requirement.name);
}

std::unique_ptr<home::VirtualHome> Runtime::MakeHome(const std::string& name,
                                                     const std::vector<home::NodeSpec>& nodes) {
  return home::VirtualHome::Create(HomeOptionsFor(name), nodes);
}

std::unique_ptr<home::VirtualHome> Runtime::AdoptHome(const std::string& home_id) {
  return home::VirtualHome::Adopt(HomeOptionsFor("home"), home_id);
}

std::vector<home::Requirement> BuiltinEngineRequirements() {
  return {capabilities::HwsimRequirement(), capabilities::NetemRequirement(), capabilities::TbfRequirement(),
          home::LanRequirement(home::HomeNetwork::kMacvlan), home::LanRequirement(home::HomeNetwork::kIpvlan)};
}

}  // namespace cirque::runtime
