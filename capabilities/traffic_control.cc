#include "capabilities/traffic_control.h"

#include <algorithm>
#include <cstdio>

#include "capabilities/settings_json.h"
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

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void Validate(const home::NodeSpec& node, const TrafficShape& shape) {
  auto invalid = [&node](const std::string& field, const std::string& value, const std::string& allowed) {
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + node.name + "': traffic_control." + field + " '" + value + "' " + allowed);
  };
  if (shape.latency_ms < 0 || shape.latency_ms > 60000) {
    invalid("latencyMs", std::to_string(shape.latency_ms), "is not in 0..60000");
  }
  if (shape.jitter_ms < 0 || shape.jitter_ms > 60000) {
    invalid("jitterMs", std::to_string(shape.jitter_ms), "is not in 0..60000");
  }
  if (shape.jitter_ms > 0 && shape.latency_ms == 0) {
    invalid("jitterMs", std::to_string(shape.jitter_ms), "needs a latencyMs to vary around; set latencyMs too");
  }
  if (shape.loss_percent < 0 || shape.loss_percent > 100) {
    invalid("loss", Number(shape.loss_percent), "is not in 0..100 (percent)");
  }
  if (shape.rate_kbit < 0) invalid("rateKbit", std::to_string(shape.rate_kbit), "is negative");
  if (shape.interface.empty() || shape.interface.size() > 15 ||
      shape.interface.find_first_of("/ \t\n") != std::string::npos) {
    invalid("interface", shape.interface, "is not an interface name such as eth0");
  }
}

}  // namespace

void ApplyTo(home::NodeSpec& node, const TrafficShape& shape) {
  Json value = {{"latencyMs", shape.latency_ms}, {"jitterMs", shape.jitter_ms}, {"loss", shape.loss_percent},
                {"rateKbit", shape.rate_kbit},   {"interface", shape.interface}};
  node.WithCapability(kTrafficControl);
  node.WithSetting(kTrafficControlKey, value.dump());
}

TrafficShape TrafficShapeOf(const home::NodeSpec& node) {
  Json value = SettingOf(node, kTrafficControlKey);
  TrafficShape shape;
  if (value.is_null()) return shape;
  if (!value.is_object()) InvalidSetting(node, kTrafficControlKey, value, "is not an object");
  CheckKeys(node, "traffic_control.", value, {"latencyMs", "jitterMs", "loss", "rateKbit", "interface"});
  const std::string field = "traffic_control.";
  if (value.contains("latencyMs")) shape.latency_ms = WholeNumber(node, field + "latencyMs", value["latencyMs"]);
  if (value.contains("jitterMs")) shape.jitter_ms = WholeNumber(node, field + "jitterMs", value["jitterMs"]);
  if (value.contains("loss")) shape.loss_percent = NonNegativeNumber(node, field + "loss", value["loss"]);
  if (value.contains("rateKbit")) shape.rate_kbit = WholeNumber(node, field + "rateKbit", value["rateKbit"]);
  if (value.contains("interface")) shape.interface = StringField(node, field + "interface", value["interface"]);
  Validate(node, shape);
  return shape;
}

home::Requirement NetemRequirement() {
  return {.kind = home::Requirement::Kind::kEngineFeature,
          .name = "netem",
          .why = "for latency, jitter and loss",
          .probe = "tc qdisc add dev lo root handle 1: netem delay 1ms && tc qdisc del dev lo root",
          .fix = "use an engine whose kernel has it: `tools/test --tier vm` runs these tests in a VM, "
                 "or load the module (modprobe sch_netem) on the engine host"};
}

home::Requirement TbfRequirement() {
  return {.kind = home::Requirement::Kind::kEngineFeature,
          .name = "tbf",
          .why = "for the rate limit",
          .probe = "tc qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 50ms && tc qdisc del dev lo root",
          .fix = "use an engine host kernel with sch_tbf (modprobe sch_tbf)"};
}

std::vector<std::string> TcCommandFor(const TrafficShape& shape) {
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
    requirements.push_back(NetemRequirement());
  } else if (shape_.rate_kbit > 0) {
    requirements.push_back(TbfRequirement());
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

void TrafficControl::Reshape(home::NodeRuntime& node, const TrafficShape& shape) {
  TrafficControl next(shape);
  node.home().Require("node '" + node.node_name() + "': TrafficControl", next.Requirements());
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
