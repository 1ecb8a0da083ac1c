#include "service/grpc_status.h"

#include <exception>

namespace cirque::service {

grpc::StatusCode GrpcCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorCode::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case ErrorCode::kConflict:
      return grpc::StatusCode::ABORTED;
    case ErrorCode::kFailedPrecondition:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case ErrorCode::kUnavailable:
      return grpc::StatusCode::UNAVAILABLE;
    case ErrorCode::kDeadlineExceeded:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    case ErrorCode::kInternal:
      return grpc::StatusCode::INTERNAL;
  }
  return grpc::StatusCode::INTERNAL;
}

grpc::Status GrpcStatusFor(const Error& error) { return grpc::Status(GrpcCodeFor(error.code()), error.what()); }

grpc::Status GrpcAnswer(const std::function<void()>& handler) {
  try {
    handler();
    return grpc::Status::OK;
  } catch (const Error& error) {
    return GrpcStatusFor(error);
  } catch (const std::exception& error) {
    return grpc::Status(grpc::StatusCode::INTERNAL, error.what());
  }
}

}  // namespace cirque::service
