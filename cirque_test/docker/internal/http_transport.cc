#include "cirque_test/docker/internal/http_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>

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
  // The first exception a callback threw; the transfer is aborted with it and
  // Send rethrows it after curl_easy_perform has returned.
  std::exception_ptr error;
};

// Runs `body` for a libcurl callback. An exception must not unwind through
// libcurl's C frames (undefined behaviour, and curl's state would be left
// half-updated), so it is stored and `abort_value`, which makes curl end the
// transfer, is returned instead. Once one callback failed, later calls for
// the same transfer do nothing and abort again.
template <typename Body>
size_t Guarded(TransferState* state, size_t abort_value, Body body) {
  if (state->error) return abort_value;
  try {
    return body();
  } catch (...) {
    state->error = std::current_exception();
    return abort_value;
  }
}

// Any count other than the one received makes curl fail with
// CURLE_WRITE_ERROR.
constexpr size_t kAbortWrite = 0;

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  size_t bytes = size * count;
  return Guarded(state, kAbortWrite, [&] {
    long status = 0;
    curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
    // An error answer is collected for its message, not streamed.
    if (state->request->on_body && status < 400) {
      state->request->on_body(std::string_view(data, bytes));
    } else {
      state->response->body.append(data, bytes);
    }
    return bytes;
  });
}

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  return Guarded(state, CURL_READFUNC_ABORT,
                 [&] { return state->request->body_source(buffer, size * count); });
}

// The value of header line `line` when it is a Content-Type header.
std::optional<std::string> ContentType(std::string_view line) {
  constexpr std::string_view kContentType = "content-type:";
  if (line.size() <= kContentType.size()) return std::nullopt;
  for (size_t i = 0; i < kContentType.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kContentType[i]) return std::nullopt;
  }
  std::string_view value = line.substr(kContentType.size());
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  return std::string(value);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  // A header line is never empty, so 0 always differs from the count and
  // aborts the transfer.
  return Guarded(state, 0, [&] {
    if (auto value = ContentType(std::string_view(data, size * count))) {
      state->response->content_type = std::move(*value);
    }
    return size * count;
  });
}

struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

void AppendHeader(HeaderList& headers, const std::string& line) {
  curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
  if (grown == nullptr) {
    throw Error(ErrorCode::kInternal, "curl_slist_append failed for '" + line + "'");
  }
  // curl_slist_append returns the list's head: the old one, or a new one
  // when the list was empty.
  (void)headers.release();
  headers.reset(grown);
}

bool HasBody(const HttpRequest& request) {
  return request.body_source || !request.body.empty() || request.method == "POST" ||
         request.method == "PUT";
}

HeaderList RequestHeaders(const HttpRequest& request) {
  HeaderList headers;
  if (HasBody(request)) AppendHeader(headers, "Content-Type: " + request.content_type);
  AppendHeader(headers, "Expect:");  // no 100-continue round trip
  if (request.body_source) AppendHeader(headers, "Transfer-Encoding: chunked");
  return headers;
}

// Rethrows what a callback of `request` threw: a cirque::Error as it was, so
// that its code and message reach the caller; anything else as Error
// (kInternal) naming the request, to keep the one-error-type contract.
[[noreturn]] void RethrowCallbackError(const HttpRequest& request, long status,
                                       const std::exception_ptr& error) {
  const std::string where = "docker: " + request.method + " " + request.target;
  const RequestContext context{request.method, request.target, static_cast<int>(status), ""};
  try {
    std::rethrow_exception(error);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& foreign) {
    throw Error(ErrorCode::kInternal,
                where + ": aborted because a callback threw: " + foreign.what(),
                context);
  } catch (...) {
    throw Error(ErrorCode::kInternal,
                where + ": aborted because a callback threw an exception of unknown type",
                context);
  }
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

HttpTransport::~HttpTransport() = default;

void HttpTransport::HandleDeleter::operator()(void* handle) const {
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

HttpTransport::Handle HttpTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_handles_.empty()) {
      Handle handle = std::move(idle_handles_.back());
      idle_handles_.pop_back();
      return handle;
    }
  }
  Handle handle(curl_easy_init());
  if (handle == nullptr) {
    throw Error(ErrorCode::kInternal, "curl_easy_init failed");
  }
  return handle;
}

void HttpTransport::ReleaseHandle(Handle handle) {
  // curl_easy_reset clears options but keeps the connection cache.
  curl_easy_reset(handle.get());
  std::lock_guard<std::mutex> lock(mutex_);
  idle_handles_.push_back(std::move(handle));
}

HttpResponse HttpTransport::Send(const HttpRequest& request) {
  // Made before the handle so that, on any exit, the handle is released or
  // destroyed while the list it points to still exists.
  HeaderList headers = RequestHeaders(request);
  Handle handle = AcquireHandle();
  CURL* curl = handle.get();
  HttpResponse response;
  TransferState state{&request, &response, curl, nullptr};
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
  if (request.body_source) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &state);
    // CURLOPT_UPLOAD implies PUT; CUSTOMREQUEST above restores the method.
  } else if (HasBody(request)) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  const auto began = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (TraceRequests()) TraceRequest(request, status, began);

  // Only a handle whose transfer completed goes back to the pool. One that
  // was aborted or failed midway may hold a connection with part of an answer
  // still unread; destroying it (when `handle` goes out of scope) closes that
  // connection, and a fresh handle costs little next to a failed request.
  if (state.error) RethrowCallbackError(request, status, state.error);
  if (code == CURLE_OK) {
    ReleaseHandle(std::move(handle));
  } else {
    ThrowUnlessStreamClosed(request, code, status, response.content_type);
  }
  response.status = static_cast<int>(status);
  return response;
}

void HttpTransport::ThrowUnlessStreamClosed(const HttpRequest& request, int code, long status,
                                            const std::string& content_type) const {
  if (code == CURLE_OPERATION_TIMEDOUT) {
    throw Error(ErrorCode::kDeadlineExceeded,
                "docker: " + request.method + " " + request.target +
                    ": no complete answer within " +
                    std::to_string(request.timeout.count()) + " ms from " +
                    endpoint_.ToString(),
                RequestContext{request.method, request.target, 0, ""});
  }
  // A body that arrived before the engine closed a hijacked stream is still
  // a complete answer (exec start, attach): such a stream has no end of its
  // own. Any other answer cut short (a wait, a list, a log) is the engine
  // going away mid-answer.
  const bool hijacked = content_type.rfind("application/vnd.docker.raw-stream", 0) == 0 ||
                        content_type.rfind("application/vnd.docker.multiplexed-stream", 0) == 0;
  const bool cut = code == CURLE_RECV_ERROR || code == CURLE_PARTIAL_FILE;
  if (status == 200 && cut && hijacked) return;
  if (status != 0 && cut) {
    throw Error(ErrorCode::kUnavailable,
                "docker engine at " + endpoint_.ToString() + " closed the connection in the middle of its " +
                    "answer to " + request.method + " " + request.target + " (HTTP " +
                    std::to_string(status) + "): " + curl_easy_strerror(static_cast<CURLcode>(code)) +
                    "; did the engine stop or restart?",
                RequestContext{request.method, request.target, static_cast<int>(status), ""});
  }
  {
    throw Error(ErrorCode::kUnavailable,
                "docker engine at " + endpoint_.ToString() + " unreachable (" +
                    request.method + " " + request.target + "): " +
                    curl_easy_strerror(static_cast<CURLcode>(code)) +
                    "; is it running? run tools/setup to start it",
                RequestContext{request.method, request.target, 0, ""});
  }
}

}  // namespace cirque::docker::internal
