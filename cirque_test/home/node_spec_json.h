// Cirque's JSON node-spec format: a home is {"node-name": {spec}, ...}, as
// POST /create_home takes it. The core reads type, base_image, capability,
// docker_network, and cirque's additions command and env; every other key
// belongs to a registered capability (traffic_control to TrafficControl,
// mount_pairs to Mount, ...), which parses and validates its value.
#ifndef CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_
#define CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::home {

// Parses and validates a whole home against `registry`. Throws Error
// (kInvalidArgument) naming the node, the key, the value and what is
// allowed, for: text that is not JSON, an unknown key, a value of the wrong
// type, or an impossible value.
std::vector<NodeSpec> ParseHomeSpecJson(std::string_view json_text, const CapabilityRegistry& registry);

// The same for one node's object, given its name.
NodeSpec ParseNodeSpecJson(const std::string& name, std::string_view json_object,
                           const CapabilityRegistry& registry);

// The inverse: ParseNodeSpecJson(spec.name, NodeSpecToJson(spec)) == spec
// for every spec that parses (base_image is written out in full).
std::string NodeSpecToJson(const NodeSpec& spec);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_SPEC_JSON_H_
