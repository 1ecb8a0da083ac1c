// Covers content-addressed image builds on a small tree of test images
// (root <- mid <- leaf, on the busybox test image): a second build rebuilds
// nothing; a changed file rebuilds that image and those built on it, and
// not the ones under it; a broken Dockerfile reports its failing step.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cirque_test/images/image_builder.h"
#include "cirque_test/util/error.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::images {
namespace {

namespace fs = std::filesystem;
using docker::testing::Client;
using docker::testing::TestImage;
using docker::testing::TestLabels;
using docker::testing::UniqueName;
using ::testing::HasSubstr;

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

class ImageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / UniqueName("cirque-images");
    WriteFile(dir_ / "root" / "Dockerfile", "FROM " + TestImage() + "\nCOPY root.txt /root.txt\n");
    WriteFile(dir_ / "root" / "root.txt", "root v1\n");
    WriteFile(dir_ / "mid" / "Dockerfile", "ARG BASE\nFROM ${BASE}\nCOPY mid.txt /mid.txt\n");
    WriteFile(dir_ / "mid" / "mid.txt", "mid v1\n");
    WriteFile(dir_ / "leaf" / "Dockerfile", "ARG BASE\nFROM ${BASE}\nRUN cat /root.txt /mid.txt > /leaf.txt\n");
    repository_ = UniqueName("cirque-test/cache");
    catalog_ = {{"root", repository_ + "-root", "", false},
                {"mid", repository_ + "-mid", "root", false},
                {"leaf", repository_ + "-leaf", "mid", false}};
    options_.images_dir = dir_.string();
    options_.labels = TestLabels();
  }
  void TearDown() override {
    // Children first, so every layer can go.
    for (const auto& image : Client().ListImages({{"cirque.run", TestLabels()["cirque.run"]},
                                                  {"cirque.image", ""}})) {
      if (image.tags.empty() || image.tags.front().rfind(repository_, 0) != 0) continue;
      for (const auto& tag : image.tags) {
        try {
          Client().RemoveImage(tag, true);
        } catch (const Error&) {
        }
      }
    }
    fs::remove_all(dir_);
  }

  std::map<std::string, bool> BuildAll() {
    ImageBuilder builder(Client(), catalog_, options_);
    std::map<std::string, bool> built;
    for (const auto& result : builder.EnsureAll()) built[result.name] = result.built;
    return built;
  }

  fs::path dir_;
  std::string repository_;
  ImageCatalog catalog_;
  ImageBuildOptions options_;
};

TEST_F(ImageCacheTest, SecondBuildRebuildsNothing) {
  EXPECT_EQ(BuildAll(), (std::map<std::string, bool>{{"root", true}, {"mid", true}, {"leaf", true}}));
  EXPECT_EQ(BuildAll(), (std::map<std::string, bool>{{"root", false}, {"mid", false}, {"leaf", false}}));
}

TEST_F(ImageCacheTest, ChangedFileRebuildsItsImageAndDependents) {
  BuildAll();
  WriteFile(dir_ / "mid" / "mid.txt", "mid v2\n");
  EXPECT_EQ(BuildAll(), (std::map<std::string, bool>{{"root", false}, {"mid", true}, {"leaf", true}}));
  ImageBuilder builder(Client(), catalog_, options_);
  ImageResult leaf = builder.Ensure("leaf");
  docker::testing::ScopedContainer container(docker::ContainerSpec{.image = leaf.reference});
  EXPECT_EQ(Client().Exec(container.id(), {.cmd = {"cat", "/leaf.txt"}}).stdout_text,
            "root v1\nmid v2\n");
  // The superseded versions go; the current ones stay.
  EXPECT_EQ(builder.RemoveSuperseded().size(), 2u);
  EXPECT_NO_THROW(Client().InspectImage(leaf.reference));
}

TEST_F(ImageCacheTest, ChangedModeRebuilds) {
  BuildAll();
  fs::permissions(dir_ / "root" / "root.txt", fs::perms::owner_exec, fs::perm_options::add);
  EXPECT_EQ(BuildAll(), (std::map<std::string, bool>{{"root", true}, {"mid", true}, {"leaf", true}}));
}

TEST_F(ImageCacheTest, FailedBuildShowsTheFailingStep) {
  WriteFile(dir_ / "mid" / "Dockerfile", "ARG BASE\nFROM ${BASE}\nRUN echo mid-broken && false\n");
  ImageBuilder builder(Client(), catalog_, options_);
  try {
    builder.Ensure("leaf");
    FAIL() << "the build should fail";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("RUN echo mid-broken && false"));
    EXPECT_THAT(error.what(), HasSubstr("mid-broken"));
    EXPECT_THAT(error.what(), HasSubstr("non-zero code: 1"));
  }
}

TEST_F(ImageCacheTest, UnknownImageAndMissingFolderAreClearErrors) {
  ImageBuilder builder(Client(), catalog_, options_);
  try {
    builder.Ensure("wifi-mesh");
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("'wifi-mesh'"), HasSubstr("root, mid, leaf")));
  }
  fs::remove_all(dir_ / "root");
  try {
    builder.Ensure("root");
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("no Dockerfile"), HasSubstr("root")));
  }
}

}  // namespace
}  // namespace cirque::images
