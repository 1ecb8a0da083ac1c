// The one error type of cirque.
//
// Every fallible library call reports failure by throwing cirque::Error. It
// carries a code (what kind of failure, for callers that branch on it), a
// message meant for a person (names the resource, quotes the values, says the
// fix where there is one), and, for failures that came from the Docker engine,
// the HTTP status, the engine's own message and the request that failed.
//
// Thread safety: a value type; safe to copy between threads.
#ifndef CIRQUE_TEST_UTIL_ERROR_H_
#define CIRQUE_TEST_UTIL_ERROR_H_

#include <stdexcept>
#include <string>

namespace cirque {

enum class ErrorCode {
  kInvalidArgument,     // bad input from the caller: a field, a value
  kNotFound,            // HTTP 404, or a resource that is not there
  kConflict,            // HTTP 409: name in use, container not running, ...
  kUnavailable,         // transport: no socket, refused, engine not answering
  kDeadlineExceeded,    // a wait or a command ran past its deadline
  kFailedPrecondition,  // the host or engine lacks something needed
  kInternal,            // HTTP 5xx, an engine answer the client cannot read
                        // (not JSON, a field of the wrong type), or a
                        // broken invariant
};

// "invalid argument", "not found", ...
const char* ErrorCodeName(ErrorCode code);

// Present when the failure came from an HTTP request to the engine.
struct RequestContext {
  std::string method;   // "POST"
  std::string path;     // "/containers/create"
  int http_status = 0;  // 0 when no response arrived (transport failure)
  std::string engine_message;  // Docker's "message" field, or ""
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message);
  Error(ErrorCode code, const std::string& message, RequestContext request);

  ErrorCode code() const { return code_; }
  // True when the error came from a request to the engine.
  bool has_request() const { return has_request_; }
  const RequestContext& request() const { return request_; }
  int http_status() const { return request_.http_status; }

 private:
  ErrorCode code_;
  bool has_request_ = false;
  RequestContext request_;
};

// Maps an HTTP status to the code an engine error of that status carries.
ErrorCode ErrorCodeForHttpStatus(int http_status);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_ERROR_H_
