// Covers images built from an external input (thread's OpenThread), without
// a daemon: skipped with the fix when the input is not staged, its files in
// the build context and in the tag, found through the variable or the
// options, and images without one unaffected by it.
#include "cirque_test/images/image_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::images {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kVariable = "CIRQUE_IMAGE_BUILDER_TEST_INPUT";

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

// Keeps each build's context, as (path, mode, content).
class RecordingClient : public docker::testing::FakeDockerClient {
 public:
  std::string BuildImage(const docker::BuildSpec& spec) override {
    std::string tar;
    char buffer[4096];
    for (size_t n; (n = spec.context(buffer, sizeof buffer)) > 0;) tar.append(buffer, n);
    contexts.push_back(ReadTar(tar));
    docker::BuildSpec forwarded = spec;
    forwarded.context = docker::TarFromString(tar);
    return FakeDockerClient::BuildImage(forwarded);
  }
  std::vector<std::vector<TarEntry>> contexts;
};

class ExternalInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(std::getenv("TEST_TMPDIR")) / "external-input";
    fs::remove_all(dir_);
    WriteFile(dir_ / "images" / "root" / "Dockerfile", "FROM scratch\n");
    WriteFile(dir_ / "images" / "radio" / "Dockerfile", "ARG BASE\nFROM ${BASE}\nCOPY stuff/ /opt/\n");
    input_ = dir_ / "staged";
    catalog_ = {{"root", "test/root", "", false},
                {"radio", "test/radio", "root", false,
                 ExternalInput{"stuff", "stuff files", kVariable, (dir_ / "nowhere").string(),
                               "to turn it on: stage it"},
                 false}};
    options_.images_dir = (dir_ / "images").string();
    options_.on_progress = [this](std::string_view line) { progress_.emplace_back(line); };
    unsetenv(kVariable);
  }
  void TearDown() override { unsetenv(kVariable); }

  void Stage(const std::string& content) {
    WriteFile(input_ / "bin" / "tool", content);
    fs::permissions(input_ / "bin" / "tool", fs::perms::owner_exec, fs::perm_options::add);
  }

  fs::path dir_;
  fs::path input_;
  ImageCatalog catalog_;
  ImageBuildOptions options_;
  std::vector<std::string> progress_;
  RecordingClient client_;
};

TEST_F(ExternalInputTest, NotStagedIsSkippedByEnsureAllAndRefusedByEnsure) {
  ImageBuilder builder(client_, catalog_, options_);
  const std::string missing =
      "no stuff files staged in " + (dir_ / "nowhere").string() + "; to turn it on: stage it";
  EXPECT_EQ(builder.Unavailable("radio"), missing);
  EXPECT_EQ(builder.Unavailable("root"), "");

  std::vector<std::string> built;
  for (const auto& result : builder.EnsureAll()) built.push_back(result.name);
  EXPECT_THAT(built, ElementsAre("root"));
  EXPECT_THAT(progress_, Contains("image radio: skipped: " + missing));
  try {
    builder.Ensure("radio");
    FAIL() << "an image whose input is not staged must not build";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(std::string(error.what()), "image 'radio': " + missing);
  }
}

TEST_F(ExternalInputTest, AnEmptyFolderIsNotStaged) {
  fs::create_directories(input_ / "bin");
  options_.input_dirs["stuff"] = input_.string();
  EXPECT_THAT(ImageBuilder(client_, catalog_, options_).Unavailable("radio"), HasSubstr("no stuff files"));
}

TEST_F(ExternalInputTest, StagedFilesAreInTheContextUnderTheInputName) {
  Stage("v1");
  options_.input_dirs["stuff"] = input_.string();
  ImageBuilder builder(client_, catalog_, options_);
  EXPECT_TRUE(builder.Ensure("radio").built);
  ASSERT_EQ(client_.contexts.size(), 2u);  // root, then radio
  std::vector<std::string> paths;
  for (const auto& entry : client_.contexts[1]) {
    paths.push_back(entry.name);
    if (entry.name == "stuff/bin/tool") {
      EXPECT_EQ(entry.content, "v1");
      EXPECT_EQ(entry.mode & 0777, 0755);
    }
  }
  EXPECT_THAT(paths, ElementsAre("Dockerfile", "stuff/bin/tool"));
}

TEST_F(ExternalInputTest, OtherInputFilesGiveAnotherTagAndLeaveTheOthersAlone) {
  Stage("v1");
  setenv(kVariable, input_.string().c_str(), 1);  // found through the variable
  ImageBuilder first(client_, catalog_, options_);
  const std::string root_v1 = first.Ensure("root").reference;
  const std::string radio_v1 = first.Ensure("radio").reference;
  EXPECT_FALSE(ImageBuilder(client_, catalog_, options_).Ensure("radio").built);

  Stage("v2");
  ImageBuilder second(client_, catalog_, options_);
  EXPECT_EQ(second.Ensure("root").reference, root_v1);
  ImageResult radio_v2 = second.Ensure("radio");
  EXPECT_NE(radio_v2.reference, radio_v1);
  EXPECT_TRUE(radio_v2.built);
}

TEST_F(ExternalInputTest, AnImageFolderMayNotShadowItsInput) {
  Stage("v1");
  options_.input_dirs["stuff"] = input_.string();
  WriteFile(dir_ / "images" / "radio" / "stuff" / "tool", "mine");
  ImageBuilder builder(client_, catalog_, options_);
  try {
    builder.Ensure("radio");
    FAIL() << "the folder's stuff/ would be mixed with the input's";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), HasSubstr("stuff/tool"));
  }
  EXPECT_EQ(client_.contexts.size(), 1u);  // root's only
}

// Thread is built on the WiFi station image so that one node can have
// both (the mixed-home example, in the VM tier).
TEST(NodeImagesTest, ThreadTakesOpenThreadAndBuildsOnTheStation) {
  const ImageDefinition& thread = FindImage(NodeImages(), kThreadImage);
  ASSERT_TRUE(thread.external_input.has_value());
  EXPECT_EQ(thread.external_input->name, "openthread");
  EXPECT_EQ(thread.external_input->env, "CIRQUE_OPENTHREAD_DIR");
  EXPECT_EQ(thread.external_input->default_dir, "/var/tmp/cirque/openthread");
  EXPECT_THAT(thread.external_input->fix, HasSubstr("OPENTHREAD_SRC="));
  EXPECT_EQ(thread.parent, kWifiStationImage);
  EXPECT_TRUE(thread.for_vm);
  for (const char* name : {kBaseImage, kWifiApImage, kWifiStationImage, kGenericImage}) {
    EXPECT_FALSE(FindImage(NodeImages(), name).external_input.has_value()) << name;
    EXPECT_TRUE(FindImage(NodeImages(), name).for_vm) << name;
  }
}

}  // namespace
}  // namespace cirque::images
