#include "tests/docker/docker_test_env.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

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

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// A root filesystem of the host's static busybox and its applets.
std::string BusyboxRootFilesystem() {
  const std::string busybox = ReadFile("/bin/busybox");
  if (busybox.empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "/bin/busybox is missing; install busybox-static (tools/setup does)");
  }
  TarWriter tar;
  for (const char* dir : {"bin", "etc", "tmp", "proc", "sys", "dev", "root", "work"}) {
    tar.AddDirectory(dir, std::string(dir) == "tmp" ? 01777 : 0755);
  }
  tar.AddFile("bin/busybox", busybox, 0755);
  std::istringstream applets(RunProcessOrThrow({"/bin/busybox", "--list"}).stdout_text);
  for (std::string applet; std::getline(applets, applet);) {
    if (!applet.empty() && applet != "busybox") tar.AddSymlink("bin/" + applet, "busybox");
  }
  tar.AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
  tar.AddFile("etc/group", "root:x:0:\nnogroup:x:65534:\n");
  return tar.Finish();
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
    std::string rootfs = BusyboxRootFilesystem();
    ImportSpec spec;
    spec.root_filesystem = TarFromString(rootfs);
    spec.repository = "cirque-test/busybox";
    spec.tag = run_id;
    spec.changes = {"LABEL cirque.test=docker", "LABEL cirque.run=" + run_id,
                    "ENV PATH=/bin", "CMD [\"sh\"]"};
    client->ImportImage(spec);
    test_image = spec.repository + ":" + spec.tag;
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
