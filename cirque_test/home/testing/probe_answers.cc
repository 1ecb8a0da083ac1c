#include "cirque_test/home/testing/probe_answers.h"

namespace cirque::home::testing {

std::vector<std::string> ProbedFeatures(const std::string& script) {
  // engine::ProbeScript prints each verdict as: echo '<name> yes'
  std::vector<std::string> names;
  const std::string opening = "then echo '";
  for (size_t at = script.find(opening); at != std::string::npos; at = script.find(opening, at + 1)) {
    size_t start = at + opening.size();
    size_t end = script.find(" yes'", start);
    if (end == std::string::npos) break;
    names.push_back(script.substr(start, end - start));
  }
  return names;
}

void AnswerEngineProbes(docker::testing::FakeDockerClient& fake, std::map<std::string, bool> features) {
  fake.OnContainerStart([features = std::move(features)](const docker::testing::CreatedContainer& container)
                            -> std::optional<docker::testing::ContainerScript> {
    auto role = container.spec.labels.find("cirque.role");
    if (role == container.spec.labels.end() || role->second != "probe") return std::nullopt;
    const auto& entrypoint = container.spec.process.entrypoint;
    std::string script = entrypoint && entrypoint->size() == 3 ? (*entrypoint)[2] : "";
    docker::testing::ContainerScript answer;
    answer.exit_code = 0;
    for (const auto& name : ProbedFeatures(script)) {
      auto found = features.find(name);
      answer.stdout_text += name + (found != features.end() && found->second ? " yes\n" : " no\n");
    }
    answer.stdout_text += std::string("kernel ") + kFakeKernel + "\n";
    return answer;
  });
}

}  // namespace cirque::home::testing
