// Cirque's JSON node-spec format: a home is {"node-name": {spec}, ...}, as
// POST /create_home takes it. Keys: type, base_image, capability,
// docker_network, traffic_control {latencyMs, jitterMs, loss, rateKbit,
// interface}, mount_pairs, weave_config_file, weave_config_target_path,
// thread_petition, rcp_mode, thread_daemon, xvnc_localhost, display_id,
// docker_display_id; cirque adds command and env.
#ifndef CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_
#define CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "cirque_test/home/node_spec.h"

namespace cirque::home {

// Parses and validates a whole home. Throws Error (kInvalidArgument) naming
// the node, the key, the value and what is allowed, for: text that is not
// JSON, an unknown key, a value of the wrong type, or an impossible value.
std::vector<NodeSpec> ParseHomeSpecJson(std::string_view json_text);

// The same for one node's object, given its name.
NodeSpec ParseNodeSpecJson(const std::string& name, std::string_view json_object);

// The inverse: a node as Cirque JSON (for the service's device_state).
std::string NodeSpecToJson(const NodeSpec& spec);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_
