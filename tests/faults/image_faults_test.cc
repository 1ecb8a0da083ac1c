// Covers an image build that fails half-way, against the real engine: an
// image whose RUN step fails gives an error naming the image and carrying
// the build's output, and leaves no image and no build container behind.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/images/image_builder.h"
#include "cirque_test/util/error.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::faults {
namespace {

namespace fs = std::filesystem;
using docker::testing::Client;
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

}  // namespace
}  // namespace cirque::faults
