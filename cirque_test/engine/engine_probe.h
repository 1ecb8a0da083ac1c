// What the engine's host offers, found by asking the engine (one short
// container runs every question), not by looking at the machine the test
// runs on: with a VM or a remote engine the two differ.
//
// The questions come from whoever needs the answer (a capability declares
// the features it needs, with their probes); this file names none.
//
// Errors: Error when the probe container cannot run or prints no verdict.
// Thread safety: every function may be called from several threads.
#ifndef CIRQUE_TEST_ENGINE_ENGINE_PROBE_H_
#define CIRQUE_TEST_ENGINE_ENGINE_PROBE_H_

#include <map>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"

namespace cirque::engine {

// A yes/no question about the engine's host, answered by a shell test.
struct FeatureProbe {
  // The answer's name: [a-z0-9_-], 1 to 40 characters. Two probes with one
  // name must ask the same question: answers are cached by name.
  std::string name;
  // sh; exit status 0 means present. Runs with NET_ADMIN in a network
  // namespace of its own (no network), from an image with iproute2; it
  // must undo what it changes.
  std::string script;
};

struct EngineReport {
  std::string endpoint;        // "unix:///var/run/docker.sock"
  std::string kernel_version;  // the engine host's kernel
  std::map<std::string, bool> features;

  // Throws Error (kNotFound) for a feature that was not probed.
  bool Has(const std::string& name) const;
  // "netem yes, tbf no" in name order.
  std::string Summary() const;
};

// Answers the probes not answered yet for the client's endpoint, all in one
// container made from `probe_image` and labelled with `labels`, and returns
// every answer known for the endpoint. Cached for the life of the process;
// calls for one endpoint probe one at a time. Throws Error (kInvalidArgument)
// for a bad probe name.
EngineReport ProbeEngine(docker::DockerClient& client, const std::string& probe_image,
                         const std::vector<FeatureProbe>& probes, const docker::Labels& labels = {});

// The answers known for the client's endpoint so far (none probed: empty
// features and kernel_version).
EngineReport KnownEngineFacts(docker::DockerClient& client);

// The probe script for `probes` (pure; tested alone), and its output parsed.
std::string ProbeScript(const std::vector<FeatureProbe>& probes);
EngineReport ParseProbeOutput(const std::string& endpoint, const std::string& output);

// Forgets every cached answer (tests).
void ForgetEngineFacts();

}  // namespace cirque::engine

#endif  // CIRQUE_TEST_ENGINE_ENGINE_PROBE_H_
