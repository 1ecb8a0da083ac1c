// Shared set-up for the tests that talk to the real Docker engine.
//
// Before the tests: connects to the engine (DOCKER_HOST or the default
// socket) and imports a tiny test image made from the host's static busybox.
// After them: removes every container, network and image labelled with this
// run, and fails the run if any test left one behind.
//
// Every resource a test makes carries TestLabels().
#ifndef CIRQUE_TESTS_DOCKER_DOCKER_TEST_ENV_H_
#define CIRQUE_TESTS_DOCKER_DOCKER_TEST_ENV_H_

#include <string>

#include <gtest/gtest.h>

#include "cirque_test/docker/docker_client.h"

namespace cirque::docker::testing {

// The engine client shared by the tests of this binary.
DockerClient& Client();

// "cirque-test/busybox:<run>", with busybox applets under /bin and a
// `nobody` user.
const std::string& TestImage();

// {"cirque.test": "docker", "cirque.run": <run id>}.
Labels TestLabels();

// A name unique to this run: "<prefix>-<run>-<counter>".
std::string UniqueName(const std::string& prefix);

// A container made from TestImage() running `sleep` (or `cmd`), removed by
// the destructor.
class ScopedContainer {
 public:
  explicit ScopedContainer(ContainerSpec spec = {}, bool start = true);
  ~ScopedContainer();
  ScopedContainer(const ScopedContainer&) = delete;
  ScopedContainer& operator=(const ScopedContainer&) = delete;
  const std::string& id() const { return id_; }

 private:
  std::string id_;
};

// Fills in the image, labels and a long-running command where unset.
ContainerSpec TestContainerSpec(ContainerSpec spec = {});

}  // namespace cirque::docker::testing

#endif  // CIRQUE_TESTS_DOCKER_DOCKER_TEST_ENV_H_
