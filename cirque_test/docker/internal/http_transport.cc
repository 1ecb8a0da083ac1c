#include "cirque_test/docker/internal/http_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

void InitCurlOnce() {
  static const bool initialized = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)initialized;
}

struct TransferState {
  const HttpRequest* request;
  HttpResponse* response;
  CURL* curl;
};

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
  // An error answer is collected for its message, not streamed.
  if (state->request->on_body && status < 400) {
    state->request->on_body(std::string_view(data, bytes));
  } else {
    state->response->body.append(data, bytes);
  }
  return bytes;
}

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  return state->request->body_source(buffer, size * count);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kContentType = "content-type:";
  if (line.size() > kContentType.size()) {
    bool matches = true;
    for (size_t i = 0; i < kContentType.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(line[i])) != kContentType[i]) {
        matches = false;
        break;
      }
    }
    if (matches) {
      std::string_view value = line.substr(kContentType.size());
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
      state->response->content_type = std::string(value);
    }
  }
  return size * count;
}

// CIRQUE_TRACE_HTTP=1 prints each request, its status and how long it took
// to stderr: where a slow home spends its time, request by request.
bool TraceRequests() {
  static const bool enabled = [] {
    const char* value = std::getenv("CIRQUE_TRACE_HTTP");
    return value != nullptr && *value != '\0' && std::string(value) != "0";
  }();
  return enabled;
}

void TraceRequest(const HttpRequest& request, long status, std::chrono::steady_clock::time_point began) {
  static const auto process_start = std::chrono::steady_clock::now();
  auto now = std::chrono::steady_clock::now();
  auto millis = [](auto duration) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  };
  std::fprintf(stderr, "[docker %7.3f s] %s %s -> %ld in %lld ms\n",
               static_cast<double>(millis(now - process_start)) / 1000.0, request.method.c_str(),
               request.target.c_str(), status, static_cast<long long>(millis(now - began)));
}

}  // namespace

HttpTransport::HttpTransport(DockerEndpoint endpoint)
    : endpoint_(std::move(endpoint)) {
  InitCurlOnce();
  base_url_ = endpoint_.kind == DockerEndpoint::Kind::kUnixSocket
                  ? "http://localhost"
                  : "http://" + endpoint_.host + ":" + std::to_string(endpoint_.port);
}

HttpTransport::~HttpTransport() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* HttpTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  if (handle == nullptr) {
    throw Error(ErrorCode::kInternal, "curl_easy_init failed");
  }
  return handle;
}

void HttpTransport::ReleaseHandle(void* handle) {
  // curl_easy_reset clears options but keeps the connection cache.
  curl_easy_reset(static_cast<CURL*>(handle));
  std::lock_guard<std::mutex> lock(mutex_);
  idle_handles_.push_back(handle);
}

HttpResponse HttpTransport::Send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(AcquireHandle());
  HttpResponse response;
  TransferState state{&request, &response, curl};
  std::string url = base_url_ + request.target;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (endpoint_.kind == DockerEndpoint::Kind::kUnixSocket) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint_.socket_path.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);

  curl_slist* headers = nullptr;
  std::string content_type = "Content-Type: " + request.content_type;
  bool has_body = request.body_source || !request.body.empty() ||
                  request.method == "POST" || request.method == "PUT";
  if (has_body) headers = curl_slist_append(headers, content_type.c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (request.body_source) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &state);
    headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    // CURLOPT_UPLOAD implies PUT; CUSTOMREQUEST above restores the method.
  } else if (has_body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  const auto began = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (TraceRequests()) TraceRequest(request, status, began);
  curl_slist_free_all(headers);
  ReleaseHandle(curl);

  if (code == CURLE_OPERATION_TIMEDOUT) {
    throw Error(ErrorCode::kDeadlineExceeded,
                "docker: " + request.method + " " + request.target +
                    ": no complete answer within " +
                    std::to_string(request.timeout.count()) + " ms from " +
                    endpoint_.ToString(),
                RequestContext{request.method, request.target, 0, ""});
  }
  if (code != CURLE_OK) {
    // A body that arrived before the engine closed a hijacked stream is
    // still a complete answer (exec start, attach).
    bool stream_closed = status == 200 && (code == CURLE_RECV_ERROR ||
                                           code == CURLE_PARTIAL_FILE);
    if (!stream_closed) {
      throw Error(ErrorCode::kUnavailable,
                  "docker engine at " + endpoint_.ToString() + " unreachable (" +
                      request.method + " " + request.target + "): " +
                      curl_easy_strerror(code) +
                      "; is it running? run tools/setup to start it",
                  RequestContext{request.method, request.target, 0, ""});
    }
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace cirque::docker::internal
