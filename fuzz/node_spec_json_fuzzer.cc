// Node specs as a network client sends them (POST /create_home, /v1/homes,
// `cirque home create`): a home's JSON parsed against the built-in
// capabilities. Contract: a spec parses or is refused with cirque::Error;
// one that parses comes back the same through NodeSpecToJson (what a node's
// spec label holds, and what adoption reads back).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "capabilities/builtin_capabilities.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static cirque::home::CapabilityRegistry& registry = cirque::capabilities::BuiltinCapabilities();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<cirque::home::NodeSpec> specs;
  try {
    specs = cirque::home::ParseHomeSpecJson(text, registry);
  } catch (const cirque::Error&) {
    return 0;  // refused, with a message: the contract
  }
  for (const auto& spec : specs) {
    std::string written;
    try {
      written = cirque::home::NodeSpecToJson(spec);
    } catch (const cirque::Error&) {
      continue;  // text JSON cannot carry (the label is then left off)
    }
    if (!(cirque::home::ParseNodeSpecJson(spec.name, written, registry) == spec)) std::abort();
  }
  return 0;
}
