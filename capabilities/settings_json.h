// Reading and writing a capability's node-spec settings (JSON text under
// the capability's keys, NodeSpec::settings), with errors that name the
// node, the field, the value and what is allowed.
#ifndef CIRQUE_CAPABILITIES_SETTINGS_JSON_H_
#define CIRQUE_CAPABILITIES_SETTINGS_JSON_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cirque_test/home/node_spec.h"

namespace cirque::capabilities {

using Json = nlohmann::json;

// The value under `key` in the node's settings, or a null Json when unset.
// Throws Error (kInvalidArgument) when it is not JSON.
Json SettingOf(const home::NodeSpec& node, const std::string& key);

// Throws Error (kInvalidArgument): "node 'n': <field> <value> <allowed>".
[[noreturn]] void InvalidSetting(const home::NodeSpec& node, const std::string& field, const Json& value,
                                 const std::string& allowed);

// Throws naming `where` + key when `object` has a key not in `allowed`.
void CheckKeys(const home::NodeSpec& node, const std::string& where, const Json& object,
               const std::vector<std::string>& allowed);

std::string StringField(const home::NodeSpec& node, const std::string& field, const Json& value);
bool BoolField(const home::NodeSpec& node, const std::string& field, const Json& value);
double NonNegativeNumber(const home::NodeSpec& node, const std::string& field, const Json& value);
int WholeNumber(const home::NodeSpec& node, const std::string& field, const Json& value);

// Text an external program reads as one configuration value: printable
// ASCII only, so no newline or control character can start a directive
// of its own. Throws naming the field otherwise.
void CheckPrintable(const home::NodeSpec& node, const std::string& field, const std::string& value);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_SETTINGS_JSON_H_
