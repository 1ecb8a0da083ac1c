#include "cirque_test/home/testing/home_on_fake.h"

#include "cirque_test/home/labels.h"
#include "cirque_test/home/testing/probe_answers.h"

namespace cirque::home::testing {

HomeOptions HomeOptionsOnFake(docker::testing::FakeDockerClient& fake, const CapabilityRegistry& registry,
                              const std::map<std::string, bool>& features, const std::string& name) {
  // NodeSpec's default type, which is also its default image.
  fake.AddImage("generic");
  fake.AddImage(kFakeHelperImage);
  AnswerEngineProbes(fake, features);
  HomeOptions options;
  options.name = name;
  options.client = &fake;
  options.registry = &registry;
  options.helper_image = kFakeHelperImage;
  return options;
}

int LabelledContainers(docker::testing::FakeDockerClient& fake) {
  int count = 0;
  for (const auto& container : fake.LiveContainers()) count += container.labels.count(kHomeLabel) != 0;
  return count;
}

int LabelledNetworks(docker::testing::FakeDockerClient& fake) {
  int count = 0;
  for (const auto& network : fake.LiveNetworks()) count += network.labels.count(kHomeLabel) != 0;
  return count;
}

}  // namespace cirque::home::testing
