// HTTP/1.1 to the Docker engine over libcurl, on a unix socket or TCP.
//
// Keeps a pool of curl handles so that connections are reused across
// requests and threads. Thread safety: Send may be called concurrently.
//
// The callbacks of a request (on_body, body_source) may throw: the exception
// never unwinds through libcurl; the transfer is aborted and Send rethrows it
// once libcurl has returned (see Send).
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_HTTP_TRANSPORT_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_HTTP_TRANSPORT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cirque_test/docker/endpoint.h"

namespace cirque::docker::internal {

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query: "/v1.41/containers/json?all=1"
  std::string body;    // sent when body_source is empty
  std::string content_type = "application/json";
  // Streams the body (chunked) instead of `body`. Returns bytes written, 0 at
  // the end.
  std::function<size_t(char*, size_t)> body_source;
  std::chrono::milliseconds timeout{120000};
  // Receives the response body piece by piece instead of collecting it.
  std::function<void(std::string_view)> on_body;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;  // empty when the request had on_body
};

class HttpTransport {
 public:
  explicit HttpTransport(DockerEndpoint endpoint);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Returns the response whatever its status. Throws Error: kUnavailable when
  // the engine cannot be reached (naming the endpoint and tools/setup) or
  // closes the connection in the middle of an answer (naming the endpoint
  // and the request),
  // kDeadlineExceeded when request.timeout passed. When a callback of the
  // request threw, the transfer is aborted and that exception is what Send
  // throws: a cirque::Error as it was, any other exception as Error
  // (kInternal) naming the request and carrying the exception's message.
  HttpResponse Send(const HttpRequest& request);

  const DockerEndpoint& endpoint() const { return endpoint_; }

 private:
  // Owns a CURL easy handle (CURL is void in curl.h, which this header keeps
  // out of its includers).
  struct HandleDeleter {
    void operator()(void* handle) const;
  };
  using Handle = std::unique_ptr<void, HandleDeleter>;

  Handle AcquireHandle();
  // Returns a handle whose transfer completed to the pool. A handle that
  // failed is not returned: it is simply destroyed, with its connection.
  void ReleaseHandle(Handle handle);
  // For a transfer that ended with curl error `code` (a CURLcode): throws the
  // Error Send promises, unless the answer was complete: a hijacked stream
  // (exec start) that the engine closed. Any other answer cut short is
  // kUnavailable, naming the endpoint and the request.
  void ThrowUnlessStreamClosed(const HttpRequest& request, int code, long status,
                               const std::string& content_type) const;

  DockerEndpoint endpoint_;
  std::string base_url_;
  std::mutex mutex_;
  std::vector<Handle> idle_handles_;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_HTTP_TRANSPORT_H_
