// Pure mapping between cirque's Docker types and the engine's JSON, kept apart
// from I/O so it is unit-tested without an engine.
//
// Errors: nothing here lets a nlohmann exception out. An engine answer that
// is not JSON, or holds a field of a type the client does not expect, is
// Error (kInternal: the engine broke the API's contract, it is not a transport
// failure) whose message quotes the field and what was found; read through
// ReadBody or ReadAnswer, the message also names the request.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_JSON_MAPPING_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_JSON_MAPPING_H_

#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cirque_test/docker/container_info.h"
#include "cirque_test/docker/container_spec.h"
#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/docker/image_spec.h"
#include "cirque_test/docker/network_spec.h"
#include "cirque_test/docker/system_info.h"
#include "cirque_test/util/error.h"

namespace cirque::docker::internal {

using Json = nlohmann::json;

// Throws Error (kInternal) for field `key` whose value `found` could not be
// read, quoting the value and the parser's complaint `why`. An empty key
// stands for the whole answer.
[[noreturn]] void ThrowWrongType(const char* key, const Json& found, const std::exception& why);

// `value`, found under `key`, as T. Throws Error (kInternal) naming the key
// and quoting the value when it does not have T's shape (a number where a
// string belongs, a label whose value is not a string, ...).
template <typename T>
T As(const Json& value, const char* key) {
  try {
    return value.get<T>();
  } catch (const Json::exception& error) {
    ThrowWrongType(key, value, error);
  }
}

// object[key] as T, or `fallback` when the key is missing or null. Throws
// Error (kInternal) as As does when the key holds a value of another type.
template <typename T>
T ValueOr(const Json& object, const char* key, T fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  return As<T>(*it, key);
}

// The rows of a list answer, each read with `read_row`. A null answer is an
// empty list; one that is not an array is an error like a field of the wrong
// type.
template <typename ReadRow>
auto ReadRows(const Json& rows, ReadRow read_row) {
  std::vector<std::decay_t<decltype(read_row(rows))>> result;
  if (rows.is_null()) return result;
  for (const auto& row : As<Json::array_t>(rows, "")) result.push_back(read_row(row));
  return result;
}

// Parses an engine answer. Throws Error (kInternal) naming the request when
// it is not JSON, so no parser exception escapes the client.
Json ParseBody(const std::string& body, const std::string& request);

// Throws Error (kInternal) naming `request` for an answer that `read` could
// not make sense of: because of a field (from As), or anything nlohmann
// complained about.
[[noreturn]] void ThrowUnreadable(const std::string& request, const Error& field_error);
[[noreturn]] void ThrowUnreadable(const std::string& request, const Json::exception& error);

// Reads the engine's answer to `request` ("GET /containers/{id}/json") with
// `read`, a function of the answer's Json (a Parse* below, or a lambda), and
// returns its result by value. Throws Error (kInternal) naming the request
// and the field when the answer holds a field of the wrong type. `read` must
// throw no cirque::Error of its own: every one is taken for a field's.
template <typename Read>
auto ReadAnswer(const Json& answer, const std::string& request, Read&& read) {
  try {
    return std::forward<Read>(read)(answer);
  } catch (const Error& field_error) {
    ThrowUnreadable(request, field_error);
  } catch (const Json::exception& error) {
    // As covers the fields the mappings read; this catches the rest.
    ThrowUnreadable(request, error);
  }
}

// ParseBody, then ReadAnswer: the one way an engine's JSON answer is read.
template <typename Read>
auto ReadBody(const std::string& body, const std::string& request, Read&& read) {
  return ReadAnswer(ParseBody(body, request), request, std::forward<Read>(read));
}

// The new resource's "Id" from a create answer (engine_json.cc).
std::string ParseCreatedId(const Json& created);

// Containers (container_json.cc). Throws Error (kInvalidArgument) naming the
// field for a spec the engine would reject for a reason we can see first.
Json ContainerCreateBody(const ContainerSpec& spec);
Json EndpointConfig(const EndpointSpec& endpoint);
ContainerInfo ParseContainerInfo(const Json& inspect);
ContainerSummary ParseContainerSummary(const Json& row);
Json ExecCreateBody(const ExecSpec& spec);
ExecInfo ParseExecInfo(const Json& inspect);

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
