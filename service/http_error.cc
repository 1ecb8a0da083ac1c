#include "service/http_error.h"

#include <nlohmann/json.hpp>

namespace cirque::service {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kFailedPrecondition: return 412;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string ErrorCodeSlug(ErrorCode code) {
  std::string slug = ErrorCodeName(code);
  for (char& c : slug) {
    if (c == ' ') c = '_';
  }
  return slug;
}

std::string ErrorBody(ErrorCode code, const std::string& message) {
  return nlohmann::json{{"code", ErrorCodeSlug(code)}, {"message", message}}.dump();
}

std::string ErrorBodyForStatus(int status, const std::string& message) {
  ErrorCode code = status == 413 || status == 400 ? ErrorCode::kInvalidArgument : ErrorCodeForHttpStatus(status);
  if (status == 401) return nlohmann::json{{"code", "unauthenticated"}, {"message", message}}.dump();
  return ErrorBody(code, message);
}

}  // namespace cirque::service
