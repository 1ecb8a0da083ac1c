// How the service answers a failure: the library's Error code becomes an
// HTTP status, and the body is JSON {"code": "not_found", "message": ...}
// with the library's code names (spaces as underscores) and its message
// (which names the resource, the value and the fix).
//
// Pure; thread-safe.
#ifndef CIRQUE_SERVICE_HTTP_ERROR_H_
#define CIRQUE_SERVICE_HTTP_ERROR_H_

#include <string>

#include "cirque_test/util/error.h"

namespace cirque::service {

// 400 invalid_argument, 404 not_found, 409 conflict, 412
// failed_precondition, 503 unavailable, 504 deadline_exceeded, 500 internal.
int HttpStatusFor(ErrorCode code);
// "not_found", ...
std::string ErrorCodeSlug(ErrorCode code);
// The JSON body for an error.
std::string ErrorBody(ErrorCode code, const std::string& message);
// The JSON body for a status the server gave without a handler (413, 404
// of an unknown route, ...); 401 (no or a wrong bearer token) has the one
// code of the service's own, "unauthenticated".
std::string ErrorBodyForStatus(int status, const std::string& message);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_HTTP_ERROR_H_
