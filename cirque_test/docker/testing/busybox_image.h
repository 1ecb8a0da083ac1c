// A tiny image for tests and benchmarks, made without any registry: the
// host's static busybox (package busybox-static) with its applets under /bin,
// a `nobody` user and writable /tmp.
#ifndef CIRQUE_TEST_DOCKER_TESTING_BUSYBOX_IMAGE_H_
#define CIRQUE_TEST_DOCKER_TESTING_BUSYBOX_IMAGE_H_

#include <string>

#include "cirque_test/docker/docker_client.h"

namespace cirque::docker::testing {

// The root filesystem as a tar. Throws Error (kFailedPrecondition) when
// /bin/busybox is missing, naming the package.
std::string BusyboxRootFilesystem();

// Imports it as `repository:tag` with `labels`; returns "repository:tag".
std::string ImportBusyboxImage(DockerClient& client, const std::string& repository,
                               const std::string& tag, const Labels& labels);

}  // namespace cirque::docker::testing

#endif  // CIRQUE_TEST_DOCKER_TESTING_BUSYBOX_IMAGE_H_
