// Cirque's gRPC DeviceSpecification (proto/device.proto) and the home
// library's NodeSpec, both ways.
//
// A specification becomes Cirque's JSON node object, the one POST
// /create_home takes (type, base_image, capability, docker_network,
// thread_petition, rcp_mode, thread_daemon, traffic_control, mount_pairs,
// weave_config_file, ...), and home::ParseNodeSpecJson reads it: the two
// APIs check a spec alike and refuse it alike. A refusal names the JSON key
// and, beside it, the specification's field it came from.
//
// Pure; thread-safe (the registry is).
#ifndef CIRQUE_SERVICE_DEVICE_SPECIFICATION_H_
#define CIRQUE_SERVICE_DEVICE_SPECIFICATION_H_

#include <nlohmann/json.hpp>
#include <string>

#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/node_spec.h"
#include "service/proto/device.pb.h"

namespace cirque::service {

// The node `name` that `device` asks for, validated against `registry`.
// Throws Error (kInvalidArgument) naming the node, the key, the field, the
// value and the fix: for a capability the registry lacks (a registry of
// one's own without Xvnc, say), more than one Thread daemon, and whatever the parser
// refuses (a negative loss_rate, an unknown daemon, a relative mount path).
home::NodeSpec NodeSpecFromDevice(const std::string& name, const proto::DeviceSpecification& device,
                                  const home::CapabilityRegistry& registry);

// Cirque's JSON object for `device`, unvalidated (`name` for messages).
// Throws Error (kInvalidArgument) only for Thread daemons beyond one.
nlohmann::json CirqueJsonOf(const std::string& name, const proto::DeviceSpecification& device);

// What a node made from `spec` (through either API) reports as its
// specification: the type, the image and each capability the proto knows,
// with its settings as given (Thread's rcp_mode, when not given, as the
// capability reads it: true).
// Capabilities of other names are left out. Never throws.
proto::DeviceSpecification DeviceSpecificationOf(const home::NodeSpec& spec);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_DEVICE_SPECIFICATION_H_
