#include "cirque_test/docker/internal/url.h"

#include <cctype>

namespace cirque::docker::internal {

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return encoded;
}

std::string WithQuery(std::string path,
                      const std::vector<std::pair<std::string, std::string>>& query) {
  char separator = '?';
  for (const auto& [key, value] : query) {
    path += separator;
    path += PercentEncode(key);
    path += '=';
    path += PercentEncode(value);
    separator = '&';
  }
  return path;
}

}  // namespace cirque::docker::internal
