// Pure mapping between cirque's Docker types and the engine's JSON, kept apart
// from I/O so it is unit-tested without an engine.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_JSON_MAPPING_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_JSON_MAPPING_H_

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cirque_test/docker/container_info.h"
#include "cirque_test/docker/container_spec.h"
#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/docker/image_spec.h"
#include "cirque_test/docker/network_spec.h"
#include "cirque_test/docker/system_info.h"

namespace cirque::docker::internal {

using Json = nlohmann::json;

// object[key] as T, or `fallback` when the key is missing or null.
template <typename T>
T ValueOr(const Json& object, const char* key, T fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  return it->get<T>();
}

// Parses an engine answer. Throws Error (kInternal) naming the request when
// it is not JSON, so no parser exception escapes the client.
Json ParseBody(const std::string& body, const std::string& request);

// Containers (container_json.cc). Throws Error (kInvalidArgument) naming the
// field for a spec the engine would reject for a reason we can see first.
Json ContainerCreateBody(const ContainerSpec& spec);
Json EndpointConfig(const EndpointSpec& endpoint);
ContainerInfo ParseContainerInfo(const Json& inspect);
ContainerSummary ParseContainerSummary(const Json& row);
Json ExecCreateBody(const ExecSpec& spec);

// Networks (network_json.cc).
Json NetworkCreateBody(const NetworkSpec& spec);
NetworkInfo ParseNetworkInfo(const Json& inspect);

// Images and system (engine_json.cc).
ImageInfo ParseImageInfo(const Json& inspect_or_row);
VersionInfo ParseVersionInfo(const Json& version);
SystemInfo ParseSystemInfo(const Json& info);
// {"label": ["k=v", "k"]}, serialized, for a "filters" query parameter.
std::string LabelFilterQuery(const std::map<std::string, std::string>& labels);
// The engine's "message" from an error body, or the body itself when it is
// not JSON, trimmed.
std::string EngineMessage(const std::string& body);

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_JSON_MAPPING_H_
