#include "capabilities/xvnc/display_allocation.h"

#include "capabilities/xvnc/xvnc_settings.h"

namespace cirque::capabilities {
namespace {

constexpr const char* kHelperPrefix = "cirque-display-";

}  // namespace

std::string DisplayHelperName(int number) { return kHelperPrefix + std::to_string(number); }

std::optional<int> DisplayNumberOfHelper(const std::string& container_name) {
  const std::string prefix = kHelperPrefix;
  if (container_name.rfind(prefix, 0) != 0) return std::nullopt;
  std::string digits = container_name.substr(prefix.size());
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  int number = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  if (number < 1 || number > kMaxDisplayId) return std::nullopt;
  return number;
}

std::vector<int> DisplayCandidates(int asked) {
  if (asked != 0) return {asked};
  std::vector<int> numbers;
  for (int number = 1; number <= kMaxDisplayId; ++number) numbers.push_back(number);
  return numbers;
}

bool IsPortTaken(const std::string& engine_message) {
  return engine_message.find("port is already allocated") != std::string::npos ||
         engine_message.find("address already in use") != std::string::npos;
}

}  // namespace cirque::capabilities
