#include "service/bearer_token.h"

namespace cirque::service {

bool CarriesBearerToken(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view given = authorization.substr(kPrefix.size());
  if (given.size() != token.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < given.size(); ++i) difference |= static_cast<unsigned char>(given[i] ^ token[i]);
  return difference == 0;
}

}  // namespace cirque::service
