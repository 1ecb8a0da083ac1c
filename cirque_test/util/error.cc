#include "cirque_test/util/error.h"

#include <utility>

namespace cirque {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kDeadlineExceeded: return "deadline exceeded";
    case ErrorCode::kFailedPrecondition: return "failed precondition";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

Error::Error(ErrorCode code, const std::string& message, RequestContext request)
    : std::runtime_error(message),
      code_(code),
      has_request_(true),
      request_(std::move(request)) {}

ErrorCode ErrorCodeForHttpStatus(int http_status) {
  if (http_status == 400) return ErrorCode::kInvalidArgument;
  if (http_status == 404) return ErrorCode::kNotFound;
  if (http_status == 409) return ErrorCode::kConflict;
  if (http_status == 408 || http_status == 504) return ErrorCode::kDeadlineExceeded;
  return ErrorCode::kInternal;
}

}  // namespace cirque
