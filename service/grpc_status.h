// How the gRPC service answers a failure: the library's Error code becomes
// a gRPC status code, and the status message is the Error's (which names
// the resource, the value and the fix). The gRPC twin of http_error.h.
//
// Pure; thread-safe.
#ifndef CIRQUE_SERVICE_GRPC_STATUS_H_
#define CIRQUE_SERVICE_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <functional>

#include "cirque_test/util/error.h"

namespace cirque::service {

// INVALID_ARGUMENT, NOT_FOUND, ABORTED (the engine's 409: a conflict the
// client may retry after), FAILED_PRECONDITION (the engine lacks a
// feature), UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL.
grpc::StatusCode GrpcCodeFor(ErrorCode code);
grpc::Status GrpcStatusFor(const Error& error);

// Runs `handler`: OK when it returns, the status of the Error it throws,
// INTERNAL with the message of any other exception.
grpc::Status GrpcAnswer(const std::function<void()>& handler);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_GRPC_STATUS_H_
