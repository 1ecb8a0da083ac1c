// Covers the thread image: OpenThread's daemon and CLI run in it, and its
// simulated radios sit alone in kThreadRadioDir and run, once copied out
// through the archive API, in an image with no C library at all (the busybox
// test image): what the Thread capability does with any node's image.
// Skips, naming the fix, where Thread is off, unless the run requires
// "thread" (CIRQUE_REQUIRE_FEATURES): then it fails.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/images/image_builder.h"
#include "cirque_test/images/image_catalog.h"
#include "cirque_test/util/tar_archive.h"
#include "fixtures/required_features.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::images {
namespace {

using docker::testing::Client;
using docker::testing::ScopedContainer;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;

class ThreadImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImageBuildOptions options;
    options.images_dir = FindImagesDir();
    ImageBuilder builder(Client(), NodeImages(), options);
    if (std::string missing = builder.Unavailable(kThreadImage); !missing.empty()) {
      if (!cirque::testing::RequiredAmongMissing({"thread"}).empty()) {
        FAIL() << "this run requires thread: " << missing;
      }
      GTEST_SKIP() << missing;
    }
    reference_ = builder.Ensure(kThreadImage).reference;
  }

  docker::ContainerSpec ThreadNode() const {
    docker::ContainerSpec spec;
    spec.image = reference_;
    spec.process.entrypoint = std::vector<std::string>{"sleep"};
    spec.process.cmd = {"600"};
    return spec;
  }

  std::string reference_;
};

TEST_F(ThreadImageTest, DaemonAndCliRun) {
  ScopedContainer node(ThreadNode());
  for (const char* program : {"ot-daemon", "ot-ctl"}) {
    // Unbuffered: `ot-daemon -h` now and then dies of a signal (exit 129)
    // after its usage, and a block-buffered pipe then loses it all (seen
    // in CI: "Actual: \"\"", one run in five right after the start).
    docker::ExecResult result = Client().Exec(node.id(), {.cmd = {"stdbuf", "-o0", "-e0", program, "-h"}});
    EXPECT_THAT(result.stdout_text + result.stderr_text, HasSubstr("Syntax:")) << program;
  }
}

TEST_F(ThreadImageTest, RadiosAreAloneInTheirFolderAndNeedNoCLibrary) {
  ScopedContainer node(ThreadNode());
  std::vector<std::string> radios;
  for (const auto& entry : ReadTar(Client().CopyFromContainer(node.id(), kThreadRadioDir))) {
    if (entry.type == TarEntryType::kFile) radios.push_back(entry.name);
  }
  EXPECT_THAT(radios, Contains("openthread/ot-rcp"));
  EXPECT_THAT(radios, IsSubsetOf({"openthread/ot-rcp", "openthread/ot-ncp-ftd"}));

  ScopedContainer bare;  // busybox, static: no libc, no loader
  Client().CopyToContainer(bare.id(), "/", Client().CopyFromContainer(node.id(), kThreadRadioDir));
  for (const auto& radio : radios) {
    docker::ExecResult result = Client().Exec(bare.id(), {.cmd = {"/" + radio, "-h"}});
    EXPECT_THAT(result.stdout_text + result.stderr_text, HasSubstr("NodeId")) << radio;
  }
}

}  // namespace
}  // namespace cirque::images
