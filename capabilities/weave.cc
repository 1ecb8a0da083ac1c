#include "capabilities/weave.h"

#include "capabilities/settings_json.h"

namespace cirque::capabilities {

void ApplyTo(home::NodeSpec& node, const WeaveSettings& settings) {
  node.WithCapability(kWeave);
  node.WithSetting("weave_config_file", Json(settings.config_file).dump());
  node.WithSetting("weave_config_target_path", Json(settings.target_path).dump());
}

WeaveSettings WeaveSettingsOf(const home::NodeSpec& node) {
  WeaveSettings settings;
  Json file = SettingOf(node, "weave_config_file");
  Json target = SettingOf(node, "weave_config_target_path");
  if (!file.is_null()) settings.config_file = StringField(node, "weave_config_file", file);
  if (!target.is_null()) settings.target_path = StringField(node, "weave_config_target_path", target);
  if (settings.config_file.empty() || settings.config_file.front() != '/') {
    InvalidSetting(node, "weave_config_file", settings.config_file,
                   "must be the absolute host path of the Weave certificate");
  }
  if (settings.target_path.empty() || settings.target_path.front() != '/') {
    InvalidSetting(node, "weave_config_target_path", settings.target_path, "is not an absolute path");
  }
  return settings;
}

std::vector<home::Requirement> Weave::Requirements() const {
  return {{.kind = home::Requirement::Kind::kHostFile,
           .name = settings_.config_file,
           .why = "the Weave certificate",
           .fix = "create it on the engine's host or correct weave_config_file"}};
}

void Weave::Configure(docker::ContainerSpec& container) {
  container.storage.mounts.push_back(
      {docker::MountSpec::Type::kBind, settings_.config_file, settings_.target_path, /*read_only=*/true});
}

std::map<std::string, std::string> Weave::Describe() const {
  return {{"config_file", settings_.config_file}, {"target_path", settings_.target_path}};
}

}  // namespace cirque::capabilities
