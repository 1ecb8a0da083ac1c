// Weave: the node's Weave certificate, a host file, mounted read-only at
// the configured path (Cirque's weave_config_file and
// weave_config_target_path keys).
#ifndef CIRQUE_CAPABILITIES_WEAVE_H_
#define CIRQUE_CAPABILITIES_WEAVE_H_

#include "cirque_test/home/capability.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

inline constexpr const char* kWeave = "Weave";

struct WeaveSettings {
  std::string config_file;                       // REQUIRED: absolute host path
  std::string target_path = "/etc/weave/certs";  // absolute path in the node
};

// Sets the node's Weave keys and lists Weave on it.
void ApplyTo(home::NodeSpec& node, const WeaveSettings& settings);
// Throws Error (kInvalidArgument) naming the key and what is allowed.
WeaveSettings WeaveSettingsOf(const home::NodeSpec& node);

class Weave : public home::Capability {
 public:
  explicit Weave(WeaveSettings settings) : settings_(std::move(settings)) {}
  std::string name() const override { return kWeave; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  std::map<std::string, std::string> Describe() const override;

 private:
  WeaveSettings settings_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WEAVE_H_
