// Cirque's REST API, wire-compatible with the Python service (Flask, port
// 5000) that Matter's CI drove, on an httplib server:
//
//   POST /create_home                      body {"node": {spec}, ...} -> "home id"
//   GET  /get_homes                        -> ["home id", ...]
//   GET  /home_devices/<home>              -> {"device id": device_state, ...}
//   GET  /device_state/<home>/<device>     -> device_state
//   GET  /wifi_ssid_psk/<home>             -> [ssid, psk] of the home's first AP
//   GET  /device_cmd/<home>/<device>/<cmd>?stream=True|False
//                                          -> {"return_code": "0", "output": "..."},
//                                             or the output as text, streamed
//   GET  /stop_device/<home>/<device>      -> "device id" (the node is removed)
//   GET  /device_log/<home>/<device>?tail=N -> the container's log, text
//   GET  /destroy_home/<home>              -> "home id"
//
// device_state is {"name", "type", "base_image", "id", "capability": {name:
// {details}}, "description": {"ipv4_addr", "ipv6_addr", ...details}}. A
// device is named by its container id (Cirque's ids), a 12-character prefix
// of it, or its node name. <cmd> is split like Python's shlex.split into an
// argv that no shell sees; encode '?' and '#' in it (%3F, %23) and they
// arrive (Cirque cut the command there).
//
// Where this answers better than Cirque: an unknown home or device is a 404
// with a JSON error body (Cirque: 200 and an empty body); a bad spec is a
// 400 naming the node, key, value and fix (Cirque: a 500 or a crash); a
// node without "capability" is a plain node; tail=0 gives the whole log
// (Cirque: nothing); `GET /` describes the service instead of destroying
// every home. Errors are JSON {"code", "message"} (http_error.h).
//
// Thread safety: the handlers run on the server's threads at once; the
// registry and the exec slots are thread-safe.
#ifndef CIRQUE_SERVICE_CIRQUE_API_H_
#define CIRQUE_SERVICE_CIRQUE_API_H_

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cirque_test/home/node.h"
#include "service/exec_slots.h"
#include "service/home_registry.h"

namespace cirque::service {

// Adds the routes above to `server`; `homes` and `slots` outlive it.
void AddCirqueRoutes(httplib::Server& server, HomeRegistry& homes, ExecSlots& slots);

// {capability name: {detail: value}} of a node, for both APIs.
nlohmann::json CapabilitiesJson(const home::NodeDescription& node);

// Cirque's device_state of a node, from its description.
nlohmann::json DeviceState(const home::NodeDescription& node);

// Runs `handler`, turning an Error (or any exception) into the JSON error
// answer of http_error.h. Shared by the service's route sets.
void Answer(httplib::Response& response, const std::function<void()>& handler);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_CIRQUE_API_H_
