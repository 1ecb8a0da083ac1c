#include "tools/cirque/reap_command.h"

#include <cstdio>
#include <memory>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/home/service_owner.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/runtime/runtime.h"
#include "cirque_test/util/error.h"

namespace cirque::cli {

void AddFeaturesCommand(CLI::App& app) {
  auto image = std::make_shared<std::string>("generic");
  CLI::App* features = app.add_subcommand(
      "features", "Show what the engine's kernel offers (hwsim, netem, tbf, macvlan, ipvlan), "
                  "and whether Thread is on (the thread image)");
  features->add_option("--probe-image", *image, "image with iproute2 for the probe (default: the generic node image)");
  features->callback([image] {
    docker::DockerClient client;
    // The images folder is looked for only when an image is to be built
    // from it: --probe-image and Thread off need none.
    images::ImageBuildOptions options;
    auto builder = [&client, &options] {
      if (options.images_dir.empty()) options.images_dir = images::FindImagesDir();
      return images::ImageBuilder(client, images::NodeImages(), options);
    };
    std::string reference = *image;
    if (reference == "generic") reference = builder().Ensure("generic").reference;
    std::vector<engine::FeatureProbe> probes;
    for (const auto& requirement : runtime::BuiltinEngineRequirements()) {
      probes.push_back({requirement.name, requirement.probe});
    }
    engine::EngineReport found =
        engine::ProbeEngine(client, reference, probes, home::HomeLabels("probe-" + home::NewId()));
    std::printf("engine %s, kernel %s: %s\n", found.endpoint.c_str(), found.kernel_version.c_str(),
                found.Summary().c_str());
    // Thread needs no kernel feature, only OpenThread, which the user gives.
    std::string missing =
        images::ImageBuilder(client, images::NodeImages(), options).Unavailable(images::kThreadImage);
    if (!missing.empty()) {
      std::printf("thread: off: %s\n", missing.c_str());
    } else {
      std::printf("thread: yes (%s)\n", builder().Ensure(images::kThreadImage).reference.c_str());
    }
  });
}

void AddReapCommand(CLI::App& app) {
  CLI::App* reap = app.add_subcommand(
      "reap", "Remove containers, networks and iptables rules of cirque runs whose process died, and of "
              "services no longer running (never anything unlabelled, nor a live run's)");
  reap->callback([] {
    docker::DockerClient client;
    // A service's homes wait for it to start again and adopt them; once
    // no service holds their state folder, they are leftovers too.
    home::ReapReport report =
        home::ReapDeadRuns(client, runtime::Runtime::Default().ResolveImage("generic"), /*sweep_rules=*/true,
                           [](const std::string& owner) {
                             return home::OwnerIsGone(owner) || home::ServiceOwnerIsGone(owner);
                           });
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
