#include "capabilities/traffic_control.h"

#include <algorithm>
#include <cstdio>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::capabilities {
namespace {

std::string Percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g%%", value);
  return text;
}

docker::ExecResult RunTc(home::NodeRuntime& node, const std::vector<std::string>& argv) {
  return node.Exec(argv, std::chrono::seconds(20));
}

}  // namespace

std::vector<std::string> TcCommandFor(const home::TrafficShape& shape) {
  std::vector<std::string> argv = {"tc", "qdisc", "replace", "dev", shape.interface, "root",
                                   "handle", "1:"};
  if (shape.NeedsNetem()) {
    argv.push_back("netem");
    if (shape.latency_ms > 0) {
      argv.insert(argv.end(), {"delay", std::to_string(shape.latency_ms) + "ms"});
      if (shape.jitter_ms > 0) argv.push_back(std::to_string(shape.jitter_ms) + "ms");
    }
    if (shape.loss_percent > 0) argv.insert(argv.end(), {"loss", Percent(shape.loss_percent)});
    if (shape.rate_kbit > 0) argv.insert(argv.end(), {"rate", std::to_string(shape.rate_kbit) + "kbit"});
    return argv;
  }
  // tbf: the bucket holds 20 ms of traffic, at least a few full frames.
  int burst_bytes = std::max(shape.rate_kbit * 1000 / 8 / 50, 4 * 1514);
  argv.insert(argv.end(), {"tbf", "rate", std::to_string(shape.rate_kbit) + "kbit", "burst",
                           std::to_string(burst_bytes), "latency", "400ms"});
  return argv;
}

std::vector<home::Requirement> TrafficControl::Requirements() const {
  std::vector<home::Requirement> requirements;
  if (shape_.NeedsNetem()) {
    requirements.push_back({home::Requirement::Kind::kKernelFeature, "netem", "for latency, jitter and loss"});
  } else if (shape_.rate_kbit > 0) {
    requirements.push_back({home::Requirement::Kind::kKernelFeature, "tbf", "for the rate limit"});
  }
  return requirements;
}

void TrafficControl::Configure(docker::ContainerSpec& container) {
  // tc changes the node's own qdiscs: NET_ADMIN in its namespace, no more.
  container.security.cap_add.push_back("NET_ADMIN");
}

void TrafficControl::Apply(home::NodeRuntime& node) {
  if (shape_.IsEmpty()) return;
  std::vector<std::string> argv = TcCommandFor(shape_);
  docker::ExecResult result = RunTc(node, argv);
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "'" + JoinArgv(argv) + "' exited " +
                                          std::to_string(result.exit_code) + ": " +
                                          LastLines(result.stderr_text, 3));
  }
  applied_ = true;
}

void TrafficControl::Enable(home::NodeRuntime& node) { Apply(node); }

void TrafficControl::Disable(home::NodeRuntime& node) {
  if (!applied_) return;
  std::vector<std::string> argv = {"tc", "qdisc", "del", "dev", shape_.interface, "root"};
  docker::ExecResult result = RunTc(node, argv);
  applied_ = false;
  if (result.exit_code != 0) {
    throw Error(ErrorCode::kInternal, "'" + JoinArgv(argv) + "' exited " +
                                          std::to_string(result.exit_code) + ": " +
                                          LastLines(result.stderr_text, 3));
  }
}

void TrafficControl::Reshape(home::NodeRuntime& node, const home::TrafficShape& shape,
                             const home::EngineFeatures& features) {
  if (shape.NeedsNetem() && !features.netem) {
    throw home::UnmetRequirementError(
        "node '" + node.node_name() + "': TrafficControl needs netem for latency, jitter and loss; "
        "the engine host's kernel (" + features.kernel_version + ") lacks it; fix: " +
        home::HowToGetFeature("netem"));
  }
  Disable(node);
  shape_ = shape;
  Apply(node);
}

std::map<std::string, std::string> TrafficControl::Describe() const {
  return {{"interface", shape_.interface},
          {"latency_ms", std::to_string(shape_.latency_ms)},
          {"jitter_ms", std::to_string(shape_.jitter_ms)},
          {"loss_percent", Percent(shape_.loss_percent)},
          {"rate_kbit", std::to_string(shape_.rate_kbit)},
          {"applied", applied_ ? "yes" : "no"}};
}

}  // namespace cirque::capabilities
