// Image, version, info and error JSON.
#include <cctype>

#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

// What nlohmann says, without its "[json.exception.type_error.302] " tag.
std::string Complaint(const std::exception& error) {
  std::string text = error.what();
  if (text.rfind("[json.exception.", 0) == 0) {
    size_t tag_end = text.find("] ");
    if (tag_end != std::string::npos) text.erase(0, tag_end + 2);
  }
  return text;
}

// `value` as JSON text, cut short: enough to see what the engine sent.
std::string Quote(const Json& value) {
  constexpr size_t kMaxQuoted = 120;
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxQuoted) text = text.substr(0, kMaxQuoted) + "...";
  return text;
}

}  // namespace

void ThrowWrongType(const char* key, const Json& found, const std::exception& why) {
  std::string where = *key == '\0' ? std::string("the engine's answer is ")
                                   : std::string("the engine's answer has '") + key + "': ";
  throw Error(ErrorCode::kInternal,
              where + Quote(found) + ", which cannot be read (" + Complaint(why) + ")");
}

void ThrowUnreadable(const std::string& request, const Error& field_error) {
  throw Error(ErrorCode::kInternal, "docker: " + request + ": " + field_error.what());
}

void ThrowUnreadable(const std::string& request, const Json::exception& error) {
  throw Error(ErrorCode::kInternal,
              "docker: " + request + ": the engine's answer cannot be read (" +
                  Complaint(error) + ")");
}

Json ParseBody(const std::string& body, const std::string& request) {
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    throw Error(ErrorCode::kInternal,
                "docker: " + request + ": the engine's answer is not JSON: '" +
                    body.substr(0, 200) + "'");
  }
  return parsed;
}

std::string ParseCreatedId(const Json& created) {
  return ValueOr<std::string>(created, "Id", "");
}

ImageInfo ParseImageInfo(const Json& image) {
  ImageInfo info;
  info.id = ValueOr<std::string>(image, "Id", "");
  info.tags = ValueOr<std::vector<std::string>>(image, "RepoTags", {});
  info.size = ValueOr<long long>(image, "Size", 0);
  // Inspect puts labels under Config; a list row has them at the top.
  auto labels = image.find("Labels");
  auto config = image.find("Config");
  if (config != image.end() && config->is_object()) {
    auto config_labels = config->find("Labels");
    if (config_labels != config->end() && config_labels->is_object()) {
      info.labels = As<Labels>(*config_labels, "Config.Labels");
    }
  } else if (labels != image.end() && labels->is_object()) {
    info.labels = As<Labels>(*labels, "Labels");
  }
  return info;
}

VersionInfo ParseVersionInfo(const Json& version) {
  return VersionInfo{ValueOr<std::string>(version, "Version", ""),
                     ValueOr<std::string>(version, "ApiVersion", ""),
                     ValueOr<std::string>(version, "MinAPIVersion", ""),
                     ValueOr<std::string>(version, "Os", ""),
                     ValueOr<std::string>(version, "Arch", ""),
                     ValueOr<std::string>(version, "KernelVersion", "")};
}

SystemInfo ParseSystemInfo(const Json& info) {
  SystemInfo system;
  system.name = ValueOr<std::string>(info, "Name", "");
  system.kernel_version = ValueOr<std::string>(info, "KernelVersion", "");
  system.operating_system = ValueOr<std::string>(info, "OperatingSystem", "");
  system.cgroup_driver = ValueOr<std::string>(info, "CgroupDriver", "");
  system.cgroup_version = ValueOr<std::string>(info, "CgroupVersion", "");
  system.storage_driver = ValueOr<std::string>(info, "Driver", "");
  system.docker_root_dir = ValueOr<std::string>(info, "DockerRootDir", "");
  system.cpus = ValueOr<int>(info, "NCPU", 0);
  system.memory_bytes = ValueOr<long long>(info, "MemTotal", 0);
  return system;
}

std::string LabelFilterQuery(const std::map<std::string, std::string>& labels) {
  Json filter = Json::array();
  for (const auto& [key, value] : labels) {
    filter.push_back(value.empty() ? key : key + "=" + value);
  }
  return Json{{"label", filter}}.dump();
}

std::string EngineMessage(const std::string& body) {
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    auto message = parsed.find("message");
    if (message != parsed.end() && message->is_string()) return message->get<std::string>();
  }
  std::string text = body;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

}  // namespace cirque::docker::internal
