// Covers images against the real engine: import, build (progress, args,
// labels, failure text), inspect, list by label, tag and remove.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::docker::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

TEST(ImageTest, ImportedTestImageIsInspectableAndLabelled) {
  ImageInfo info = Client().InspectImage(TestImage());
  EXPECT_THAT(info.tags, Contains(TestImage()));
  EXPECT_EQ(info.labels.at("cirque.test"), "docker");
  EXPECT_GT(info.size, 1000000);
  std::vector<ImageInfo> listed = Client().ListImages(TestLabels());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, info.id);
}

TEST(ImageTest, BuildsWithArgsAndLabelsAndStreamsProgress) {
  TarWriter context;
  context.AddFile("Dockerfile", "FROM " + TestImage() +
                                    "\nARG GREETING\nCOPY note.txt /note.txt\n"
                                    "RUN echo \"$GREETING\" > /greeting\n");
  context.AddFile("note.txt", "from the context\n");
  std::string tar = context.Finish();
  std::string tag = UniqueName("cirque-test/built") + ":1";
  std::vector<std::string> progress;
  BuildSpec spec;
  spec.context = TarFromString(tar);
  spec.tags = {tag};
  spec.build_args = {{"GREETING", "hello build"}};
  spec.labels = TestLabels();
  spec.labels["cirque.extra"] = "yes";
  spec.on_progress = [&](std::string_view line) { progress.emplace_back(line); };
  std::string id = Client().BuildImage(spec);

  EXPECT_THAT(progress, Contains(HasSubstr("Step 1/")));
  ImageInfo info = Client().InspectImage(tag);
  EXPECT_EQ(info.id, id);
  EXPECT_EQ(info.labels.at("cirque.extra"), "yes");
  {
    ScopedContainer container(ContainerSpec{.image = tag});
    ExecResult result = Client().Exec(container.id(), {.cmd = {"cat", "/greeting", "/note.txt"}});
    EXPECT_EQ(result.stdout_text, "hello build\nfrom the context\n");
  }
  std::string second_tag = UniqueName("cirque-test/retag");
  Client().TagImage(tag, second_tag, "2");
  EXPECT_THAT(Client().InspectImage(second_tag + ":2").tags, Contains(tag));
  Client().RemoveImage(second_tag + ":2");
  Client().RemoveImage(tag);
  try {
    Client().InspectImage(tag);
    FAIL() << "image still there";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

TEST(ImageTest, FailedBuildShowsTheFailingStepAndItsOutput) {
  TarWriter context;
  context.AddFile("Dockerfile", "FROM " + TestImage() +
                                    "\nRUN echo about to fail && exit 7\n");
  std::string tar = context.Finish();
  BuildSpec spec;
  spec.context = TarFromString(tar);
  spec.tags = {UniqueName("cirque-test/broken") + ":1"};
  spec.labels = TestLabels();
  try {
    Client().BuildImage(spec);
    FAIL() << "the build should fail";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("non-zero code: 7"));
    EXPECT_THAT(error.what(), HasSubstr("RUN echo about to fail"));
    EXPECT_THAT(error.what(), HasSubstr("about to fail"));
  }
}

}  // namespace
}  // namespace cirque::docker::testing
