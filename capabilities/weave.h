// Weave: the node's Weave certificate, a host file, mounted read-only at
// the configured path (weave_config_file, weave_config_target_path).
#ifndef CIRQUE_CAPABILITIES_WEAVE_H_
#define CIRQUE_CAPABILITIES_WEAVE_H_

#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

class Weave : public home::Capability {
 public:
  Weave(std::string config_file, std::string target_path)
      : config_file_(std::move(config_file)), target_path_(std::move(target_path)) {}
  std::string name() const override { return "Weave"; }
  std::vector<home::Requirement> Requirements() const override;
  void Configure(docker::ContainerSpec& container) override;
  std::map<std::string, std::string> Describe() const override;

 private:
  std::string config_file_;
  std::string target_path_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WEAVE_H_
