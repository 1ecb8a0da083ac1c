#include "tools/cirque/reap_command.h"

#include <cstdio>
#include <memory>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/runtime/runtime.h"
#include "cirque_test/util/error.h"

namespace cirque::cli {

void AddFeaturesCommand(CLI::App& app) {
  auto image = std::make_shared<std::string>("generic");
  CLI::App* features = app.add_subcommand(
      "features", "Show what the engine's kernel offers: hwsim, netem, tbf, macvlan, ipvlan");
  features->add_option("--probe-image", *image, "image with iproute2 for the probe (default: the generic node image)");
  features->callback([image] {
    docker::DockerClient client;
    std::string reference = *image;
    if (reference == "generic") {
      images::ImageBuildOptions options;
      options.images_dir = images::FindImagesDir();
      reference = images::ImageBuilder(client, images::NodeImages(), options).Ensure("generic").reference;
    }
    std::vector<engine::FeatureProbe> probes;
    for (const auto& requirement : runtime::BuiltinEngineRequirements()) {
      probes.push_back({requirement.name, requirement.probe});
    }
    engine::EngineReport found =
        engine::ProbeEngine(client, reference, probes, home::HomeLabels("probe-" + home::NewId()));
    std::printf("engine %s, kernel %s: %s\n", found.endpoint.c_str(), found.kernel_version.c_str(),
                found.Summary().c_str());
  });
}

void AddReapCommand(CLI::App& app) {
  CLI::App* reap = app.add_subcommand(
      "reap", "Remove containers, networks and iptables rules of cirque runs whose process died "
              "(never anything unlabelled, nor a live run's)");
  reap->callback([] {
    docker::DockerClient client;
    home::ReapReport report = home::ReapDeadRuns(client, runtime::Runtime::Default().ResolveImage("generic"), /*sweep_rules=*/true);
    for (const auto& name : report.containers) std::printf("removed container %s\n", name.c_str());
    for (const auto& name : report.networks) std::printf("removed network %s\n", name.c_str());
    std::printf("reaped %zu containers, %zu networks, %d iptables rules\n",
                report.containers.size(), report.networks.size(), report.host_rules);
    if (!report.problems.empty()) {
      std::string text;
      for (const auto& problem : report.problems) text += "\n  " + problem;
      throw Error(ErrorCode::kInternal, "could not remove everything:" + text);
    }
  });
}

}  // namespace cirque::cli
