#include "tests/docker/docker_test_env.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <sstream>

#include "cirque_test/docker/testing/busybox_image.h"
#include "cirque_test/util/error.h"

namespace cirque::docker::testing {
namespace {

std::unique_ptr<DockerClient> client;
std::string run_id;
std::string test_image;

std::string MakeRunId() {
  std::random_device random;
  std::ostringstream id;
  id << std::hex << getpid() << "x" << (random() & 0xffffff);
  return id.str();
}

class DockerTestEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    run_id = MakeRunId();
    client = std::make_unique<DockerClient>();
    try {
      client->Ping();
    } catch (const Error& error) {
      FAIL() << "the Docker engine is needed for these tests: " << error.what();
    }
    test_image = ImportBusyboxImage(*client, "cirque-test/busybox", run_id, TestLabels());
  }

  void TearDown() override {
    if (!client) return;
    LabelFilter mine = {{"cirque.run", run_id}};
    try {
      for (const auto& container : client->ListContainers(mine)) {
        ADD_FAILURE() << "a test leaked container " << container.name;
        client->RemoveContainer(container.id, true);
      }
      for (const auto& network : client->ListNetworks(mine)) {
        ADD_FAILURE() << "a test leaked network " << network.name;
        client->RemoveNetwork(network.id);
      }
      for (const auto& image : client->ListImages(mine)) {
        bool shared = std::find(image.tags.begin(), image.tags.end(), test_image) != image.tags.end();
        if (!shared) ADD_FAILURE() << "a test leaked image " << image.id;
        client->RemoveImage(image.id, true);
      }
    } catch (const Error& error) {
      ADD_FAILURE() << "cleanup failed: " << error.what();
    }
  }
};

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new DockerTestEnvironment());

}  // namespace

DockerClient& Client() { return *client; }
const std::string& TestImage() { return test_image; }

Labels TestLabels() { return {{"cirque.test", "docker"}, {"cirque.run", run_id}}; }

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + run_id + "-" + std::to_string(++counter);
}

ContainerSpec TestContainerSpec(ContainerSpec spec) {
  if (spec.image.empty()) spec.image = TestImage();
  for (const auto& [key, value] : TestLabels()) spec.labels[key] = value;
  if (spec.process.cmd.empty() && !spec.process.entrypoint) {
    spec.process.cmd = {"sleep", "3600"};
  }
  return spec;
}

ScopedContainer::ScopedContainer(ContainerSpec spec, bool start) {
  id_ = Client().CreateContainer(TestContainerSpec(std::move(spec)));
  if (start) Client().StartContainer(id_);
}

ScopedContainer::~ScopedContainer() {
  try {
    Client().RemoveContainer(id_, true);
  } catch (const Error& error) {
    ADD_FAILURE() << "removing container " << id_ << ": " << error.what();
  }
}

}  // namespace cirque::docker::testing
