// Answers the engine-feature probe (engine/engine_probe.h) on a
// FakeDockerClient, as an engine host with the given features would: the
// probe is a one-shot container labelled cirque.role=probe whose `sh -c`
// script asks one question per feature, and whose log holds the verdict.
#ifndef CIRQUE_TEST_HOME_TESTING_PROBE_ANSWERS_H_
#define CIRQUE_TEST_HOME_TESTING_PROBE_ANSWERS_H_

#include <map>
#include <string>
#include <vector>

#include "cirque_test/docker/testing/fake_docker_client.h"

namespace cirque::home::testing {

inline constexpr const char* kFakeKernel = "6.1.0-test";

// From now on, probe containers on `fake` exit 0 at once and print
// "<feature> yes|no" for every feature their script asks about (per
// `features`; a feature not listed is answered "no") and "kernel 6.1.0-test".
void AnswerEngineProbes(docker::testing::FakeDockerClient& fake, std::map<std::string, bool> features);

// The feature names a probe script asks about, in order (pure).
std::vector<std::string> ProbedFeatures(const std::string& script);

}  // namespace cirque::home::testing

#endif  // CIRQUE_TEST_HOME_TESTING_PROBE_ANSWERS_H_
