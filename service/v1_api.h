// cirque's own REST API, under /v1: resources and verbs, JSON in and out,
// and every error JSON {"code", "message"} with the library's codes
// (http_error.h). The OpenAPI document (openapi.json, served at
// /v1/openapi.json) describes each route; in short:
//
//   POST   /v1/homes                              {"nodes": {name: spec}} -> 201 home
//   GET    /v1/homes                              -> {"homes": [home]}
//   GET    /v1/homes/{home}                       -> home (networks, nodes)
//   DELETE /v1/homes/{home}                       -> 204
//   POST   /v1/homes/{home}/nodes                 {"nodes": {name: spec}} -> 201 {"nodes": [node]}
//   GET    /v1/homes/{home}/nodes/{node}          -> node
//   POST   /v1/homes/{home}/nodes/{node}/restart  -> node
//   DELETE /v1/homes/{home}/nodes/{node}          -> 204
//   POST   /v1/homes/{home}/nodes/{node}/exec     {"argv", "env", "workdir", "deadline_ms", "stream"}
//                                                 -> {"exit_code", "stdout", "stderr"}, or with
//                                                    stream, NDJSON lines as output arrives
//   GET    /v1/homes/{home}/nodes/{node}/logs?tail=N&since=UNIX  -> text
//   GET    /v1/homes/{home}/nodes/{node}/artifacts[?path=P]      -> list, or one file
//   GET    /v1/homes/{home}/artifacts[?name=N]                   -> list, or one capture
//   GET    /v1/engine/features                    -> {"endpoint", "kernel_version", "features"}
//   GET    /v1/openapi.json
//
// Node specs are Cirque's node objects (node_spec_json.h), checked by the
// registry's spec check (the mount policy) for new homes and new nodes.
//
// Thread safety: as cirque_api.h.
#ifndef CIRQUE_SERVICE_V1_API_H_
#define CIRQUE_SERVICE_V1_API_H_

#include <functional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cirque_test/home/home.h"
#include "service/exec_slots.h"
#include "service/home_registry.h"

namespace cirque::service {

struct V1Options {
  // What the engine offers ({"endpoint", "kernel_version", "features"});
  // absent: the route answers 404.
  std::function<nlohmann::json()> engine_features;
};

// Adds the /v1 routes to `server`; `homes` and `slots` outlive it.
void AddV1Routes(httplib::Server& server, HomeRegistry& homes, ExecSlots& slots, V1Options options = {});

nlohmann::json NodeJson(const home::NodeDescription& node);
nlohmann::json HomeJson(const home::HomeDescription& home);

// The OpenAPI document, as checked in (openapi.json).
extern const char kOpenApiJson[];

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_V1_API_H_
