// HomeOptions for a VirtualHome on a FakeDockerClient: the images a home
// pulls from (the generic node image and the helper image for the probe
// and the host agent) made known to the fake, and the engine probe
// answered (probe_answers.h). Each fake is a fresh engine: its endpoint is
// its own, so no probe answer cached for another fake applies to it.
#ifndef CIRQUE_TEST_HOME_TESTING_HOME_ON_FAKE_H_
#define CIRQUE_TEST_HOME_TESTING_HOME_ON_FAKE_H_

#include <map>
#include <string>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/home.h"

namespace cirque::home::testing {

inline constexpr const char* kFakeHelperImage = "cirque/helper:test";

// `features`: the engine host's answers to probes (absent: "no").
HomeOptions HomeOptionsOnFake(docker::testing::FakeDockerClient& fake, const CapabilityRegistry& registry,
                              const std::map<std::string, bool>& features = {}, const std::string& name = "test-home");

// What the fake holds that carries cirque's home label.
int LabelledContainers(docker::testing::FakeDockerClient& fake);
int LabelledNetworks(docker::testing::FakeDockerClient& fake);

}  // namespace cirque::home::testing

#endif  // CIRQUE_TEST_HOME_TESTING_HOME_ON_FAKE_H_
