// Covers builds and copies that fail half-way, against the real engine: an
// image whose RUN step fails gives an error naming the image and carrying
// the build's output, and leaves no image and no build container behind;
// a file copied into a node's full filesystem (a 1 MiB tmpfs: a full disk
// the test can make without root and without touching the host's disks)
// gives an error saying the disk is full and naming the container and the
// path, and leaves no half-written file.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/images/image_builder.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::faults {
namespace {

namespace fs = std::filesystem;
using docker::testing::Client;
using docker::testing::ScopedContainer;
using docker::testing::TestImage;
using docker::testing::TestLabels;
using docker::testing::UniqueName;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Ids of every container on the engine made from `image`, by name or id (a
// build runs each RUN step in a container made from the previous step's
// image id).
std::set<std::string> ContainersFrom(const std::string& image) {
  const std::string id = Client().InspectImage(image).id;
  std::set<std::string> ids;
  for (const auto& container : Client().ListContainers({})) {
    if (container.image == image || container.image == id) ids.insert(container.id);
  }
  return ids;
}

TEST(ImageFaultsTest, FailingRunStepNamesTheImageCarriesItsOutputAndLeavesNothing) {
  const fs::path dir = fs::temp_directory_path() / UniqueName("cirque-broken");
  fs::create_directories(dir / "broken");
  std::ofstream(dir / "broken" / "Dockerfile")
      << "FROM " << TestImage() << "\n"
      << "RUN echo half-made > /half && echo broken-step-says-why && exit 3\n";
  const std::string repository = UniqueName("cirque-test/broken");
  images::ImageBuildOptions options;
  options.images_dir = dir.string();
  options.labels = TestLabels();
  images::ImageBuilder builder(Client(), {{"broken", repository, "", false}}, options);
  const std::set<std::string> before = ContainersFrom(TestImage());
  try {
    builder.Ensure("broken");
    ADD_FAILURE() << "the build should fail";
  } catch (const Error& error) {
    std::cout << "build error: " << error.what() << "\n";
    EXPECT_THAT(error.what(), AllOf(HasSubstr("broken"), HasSubstr("broken-step-says-why"),
                                    HasSubstr("RUN echo half-made"), HasSubstr("non-zero code: 3")));
  }
  // No image under the name, none labelled with this run for it, and no
  // container the failed step ran in.
  EXPECT_THAT(Client().ListImages({{"cirque.run", TestLabels()["cirque.run"]}, {"cirque.image", "broken"}}),
              IsEmpty());
  for (const auto& image : Client().ListImages({{"cirque.run", TestLabels()["cirque.run"]}})) {
    for (const auto& tag : image.tags) EXPECT_EQ(tag.rfind(repository, 0), std::string::npos) << tag;
  }
  EXPECT_EQ(ContainersFrom(TestImage()), before) << "a build container was left";
  fs::remove_all(dir);
}

TEST(ImageFaultsTest, CopyIntoAFullDiskSaysSoAndLeavesNoHalfWrittenFile) {
  docker::ContainerSpec spec;
  spec.storage.tmpfs = {{"/small", "size=1m"}};
  ScopedContainer container(spec);
  TarWriter tar;
  tar.AddFile("big.bin", std::string(3 << 20, 'x'));
  try {
    Client().CopyToContainer(container.id(), "/small", tar.Finish());
    ADD_FAILURE() << "3 MiB fitted into a 1 MiB disk";
  } catch (const Error& error) {
    std::cout << "copy error: " << error.what() << "\n";
    EXPECT_THAT(error.what(), AllOf(HasSubstr("no space left on device"), HasSubstr("/small"),
                                    HasSubstr(container.id().substr(0, 12))));
  }
  docker::ExecResult listed = Client().Exec(container.id(), {.cmd = {"ls", "-A", "/small"}});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_EQ(listed.stdout_text, "") << "a half-written file was kept";
  // The disk is usable again: a small file fits.
  TarWriter small;
  small.AddFile("small.txt", "fits\n");
  Client().CopyToContainer(container.id(), "/small", small.Finish());
  EXPECT_EQ(Client().Exec(container.id(), {.cmd = {"cat", "/small/small.txt"}}).stdout_text, "fits\n");
}

}  // namespace
}  // namespace cirque::faults
