#include "capabilities/settings_json.h"

#include <algorithm>

#include "cirque_test/util/error.h"

namespace cirque::capabilities {
namespace {

std::string Shown(const Json& value) {
  std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

}  // namespace

Json SettingOf(const home::NodeSpec& node, const std::string& key) {
  std::string text = node.Setting(key);
  if (text.empty()) return Json();
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': " + key + " is not valid JSON: " + text);
  }
  return value;
}

void InvalidSetting(const home::NodeSpec& node, const std::string& field, const Json& value,
                    const std::string& allowed) {
  throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': " + field + " " + Shown(value) + " " + allowed);
}

void CheckKeys(const home::NodeSpec& node, const std::string& where, const Json& object,
               const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string joined;
    for (const auto& name : allowed) joined += (joined.empty() ? "" : ", ") + name;
    throw Error(ErrorCode::kInvalidArgument, "node '" + node.name + "': unknown key '" + where + key +
                                                 "' (value " + Shown(value) + "); allowed keys: " + joined);
  }
}

std::string StringField(const home::NodeSpec& node, const std::string& field, const Json& value) {
  if (!value.is_string()) InvalidSetting(node, field, value, "is not a string");
  return value.get<std::string>();
}

bool BoolField(const home::NodeSpec& node, const std::string& field, const Json& value) {
  if (!value.is_boolean()) InvalidSetting(node, field, value, "is not true or false");
  return value.get<bool>();
}

double NonNegativeNumber(const home::NodeSpec& node, const std::string& field, const Json& value) {
  if (!value.is_number()) InvalidSetting(node, field, value, "is not a number");
  double number = value.get<double>();
  if (number < 0) InvalidSetting(node, field, value, "is negative");
  return number;
}

int WholeNumber(const home::NodeSpec& node, const std::string& field, const Json& value) {
  double number = NonNegativeNumber(node, field, value);
  if (number > 1e9 || number != static_cast<int>(number)) InvalidSetting(node, field, value, "is not a whole number");
  return static_cast<int>(number);
}

void CheckPrintable(const home::NodeSpec& node, const std::string& field, const std::string& value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c > 0x7e) {
      InvalidSetting(node, field, value,
                     "holds a control or non-ASCII character; use printable ASCII (no newline, tab or quote escapes)");
    }
  }
}

}  // namespace cirque::capabilities
