// TrafficControl: latency, jitter and loss (netem) and a rate limit (tbf,
// or netem's own rate when netem is in use) on one of the node's
// interfaces, set at start and changeable while the node runs.
//
//   NodeSpec::Named("far").With(TrafficShape{.latency_ms = 150})
//
// netem needs sch_netem in the engine host's kernel; a shape that uses it
// reports the unmet requirement up front. A rate alone needs only tbf.
// Settings: Cirque's "traffic_control" key {latencyMs, jitterMs, loss,
// rateKbit, interface}.
//
// Thread safety: as every capability (capability.h); Reshape from a test
// goes through Node::WithCapabilities when other threads describe the node.
#ifndef CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_
#define CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_

#include <vector>

#include "cirque_test/home/capability.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kTrafficControl = "TrafficControl";
inline constexpr const char* kTrafficControlKey = "traffic_control";

// Netem and tbf settings for one interface. Zero means "not set".
struct TrafficShape {
  int latency_ms = 0;
  int jitter_ms = 0;
  double loss_percent = 0;
  int rate_kbit = 0;
  std::string interface = "eth0";

  bool NeedsNetem() const { return latency_ms > 0 || jitter_ms > 0 || loss_percent > 0; }
  bool IsEmpty() const { return !NeedsNetem() && rate_kbit == 0; }
};

// Sets the node's traffic_control and lists TrafficControl on it.
void ApplyTo(home::NodeSpec& node, const TrafficShape& shape);
// The node's shape (empty when unset). Throws Error (kInvalidArgument)
// naming the field, the value and the range for a shape that cannot be.
TrafficShape TrafficShapeOf(const home::NodeSpec& node);

// The `tc` arguments that put `shape` on its interface (pure; tested alone).
std::vector<std::string> TcCommandFor(const TrafficShape& shape);

// The engine features a shape needs.
home::Requirement NetemRequirement();
home::Requirement TbfRequirement();

class TrafficControl : public home::Capability {
 public:
  explicit TrafficControl(TrafficShape shape) : shape_(std::move(shape)) {}
  std::string name() const override { return kTrafficControl; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;

  // Changes the shape of a running node. An empty shape removes it. Throws
  // Error with tc's message; UnmetRequirementError when the new shape needs
  // what the engine lacks.
  void Reshape(home::NodeRuntime& node, const TrafficShape& shape);

  const TrafficShape& shape() const { return shape_; }

 private:
  void Apply(home::NodeRuntime& node);

  TrafficShape shape_;
  bool applied_ = false;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_TRAFFIC_CONTROL_H_
