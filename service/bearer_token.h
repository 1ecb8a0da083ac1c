// The service's one check of a client: "Bearer <token>" in the request's
// authorization header (REST) or metadata (gRPC), against the token the
// service was started with.
//
// Pure; thread-safe.
#ifndef CIRQUE_SERVICE_BEARER_TOKEN_H_
#define CIRQUE_SERVICE_BEARER_TOKEN_H_

#include <string>
#include <string_view>

namespace cirque::service {

// True when `authorization` is "Bearer " followed by `token`. The token is
// compared without an early exit, so the time taken says nothing of how
// much of it a guess got right.
bool CarriesBearerToken(std::string_view authorization, std::string_view token);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_BEARER_TOKEN_H_
