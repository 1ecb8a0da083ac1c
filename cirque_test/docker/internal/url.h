// Builds request targets: percent-encoding and query strings.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_URL_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_URL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cirque::docker::internal {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);

// "path?k1=v1&k2=v2", encoding keys and values; no '?' when empty.
std::string WithQuery(std::string path,
                      const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_URL_H_
