// TrafficControl: latency, jitter and loss (netem) and a rate limit (tbf,
// or netem's own rate when netem is in use) on one of the node's
// interfaces, set at start and changeable while the node runs.
//
// netem needs sch_netem in the engine host's kernel; a shape that uses it
// reports the unmet requirement up front. A rate alone needs only tbf.
#ifndef CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_
#define CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_

#include <vector>

#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

// The `tc` arguments that put `shape` on its interface (pure; tested alone).
std::vector<std::string> TcCommandFor(const home::TrafficShape& shape);

class TrafficControl : public home::Capability {
 public:
  explicit TrafficControl(home::TrafficShape shape) : shape_(std::move(shape)) {}
  std::string name() const override { return "TrafficControl"; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;

  // Changes the shape of a running node. An empty shape removes it. Throws
  // Error with tc's message; UnmetRequirementError when the new shape needs
  // netem and the engine lacks it.
  void Reshape(home::NodeRuntime& node, const home::TrafficShape& shape,
               const home::EngineFeatures& features);

  const home::TrafficShape& shape() const { return shape_; }

 private:
  void Apply(home::NodeRuntime& node);

  home::TrafficShape shape_;
  bool applied_ = false;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_
