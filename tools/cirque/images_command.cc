#include "tools/cirque/images_command.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"

namespace cirque::cli {
namespace {

struct BuildFlags {
  std::vector<std::string> names;
  std::string images_dir;
  std::string rootfs_image;
  bool quiet = false;
};

std::string Megabytes(long long bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f MB", bytes / 1e6);
  return text;
}

void RunBuild(const BuildFlags& flags) {
  const auto started = std::chrono::steady_clock::now();
  docker::DockerClient client;
  images::ImageBuildOptions options;
  options.images_dir = flags.images_dir.empty() ? images::FindImagesDir() : flags.images_dir;
  options.rootfs_image = flags.rootfs_image;
  options.on_progress = [&flags](std::string_view line) {
    bool build_output = line.rfind("  ", 0) == 0;
    if (!flags.quiet || !build_output) std::cout << line << std::endl;
  };
  images::ImageBuilder builder(client, images::NodeImages(), options);
  std::vector<images::ImageResult> results;
  if (flags.names.empty()) {
    results = builder.EnsureAll();
  } else {
    for (const auto& name : flags.names) results.push_back(builder.Ensure(name));
  }
  for (const auto& reference : builder.RemoveSuperseded()) {
    std::cout << "image: removed superseded " << reference << "\n";
  }
  int built = 0;
  for (const auto& result : results) {
    built += result.built ? 1 : 0;
    std::cout << "  " << result.name << ": " << result.reference << " ("
              << (result.built ? "built" : "cached") << ", "
              << Megabytes(client.InspectImage(result.id).size) << ")\n";
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("images: %zu ready, %d built, in %.1f s\n", results.size(), built, seconds);
}

void RunList() {
  docker::DockerClient client;
  for (const auto& image : client.ListImages({{"cirque.image", ""}})) {
    std::string tags;
    for (const auto& tag : image.tags) tags += (tags.empty() ? "" : " ") + tag;
    std::printf("%-14s %-44s %8s  %s\n", image.labels.at("cirque.image").c_str(),
                tags.empty() ? "<untagged>" : tags.c_str(), Megabytes(image.size).c_str(),
                image.id.substr(7, 12).c_str());
  }
}

}  // namespace

void AddImagesCommand(CLI::App& app) {
  CLI::App* images = app.add_subcommand("images", "Build and list node images");
  images->require_subcommand(1);

  auto flags = std::make_shared<BuildFlags>();
  CLI::App* build = images->add_subcommand(
      "build", "Build node images whose inputs changed (all when no NAME is given)");
  build->add_option("NAME", flags->names, "images to build: base, wifi-ap, wifi-station, generic, xvnc, thread");
  build->add_option("--images-dir", flags->images_dir,
                    "folder with one subfolder per image (default: the repository's images/)");
  build->add_option("--rootfs-image", flags->rootfs_image,
                    "build base on this image (e.g. debian:bookworm-slim) instead of a "
                    "debootstrap of the host's apt mirror");
  build->add_flag("-q,--quiet", flags->quiet, "print steps, not the builds' own output");
  build->callback([flags] { RunBuild(*flags); });

  CLI::App* list = images->add_subcommand("list", "List the node images on the engine");
  list->callback([] { RunList(); });
}

}  // namespace cirque::cli
