#include "service/service_client.h"

#include <httplib.h>

#include "cirque_test/util/error.h"
#include "service/http_error.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;
constexpr int kTimeoutSeconds = 600;  // making a home of many nodes under emulation takes minutes

// httplib throws std::invalid_argument for a scheme it lacks ("ftp://h"):
// converted here, where it arises.
std::unique_ptr<httplib::Client> ClientFor(const std::string& url) {
  try {
    return std::make_unique<httplib::Client>(url);
  } catch (const std::exception& error) {
    throw Error(ErrorCode::kInvalidArgument,
                "--server '" + url + "' is not a service URL (" + error.what() + "); fix: give http://HOST:PORT");
  }
}

}  // namespace

ErrorCode ErrorCodeFromSlug(const std::string& slug) {
  for (ErrorCode code : {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kConflict,
                         ErrorCode::kUnavailable, ErrorCode::kDeadlineExceeded, ErrorCode::kFailedPrecondition,
                         ErrorCode::kInternal}) {
    if (ErrorCodeSlug(code) == slug) return code;
  }
  if (slug == "unauthenticated") return ErrorCode::kInvalidArgument;
  return ErrorCode::kInternal;
}

ServiceClient::ServiceClient(const std::string& url, const std::string& token)
    : url_(url), http_(ClientFor(url)) {
  if (!http_->is_valid()) {
    throw Error(ErrorCode::kInvalidArgument, "--server '" + url + "' is not a URL; fix: give http://HOST:PORT");
  }
  if (!token.empty()) http_->set_bearer_token_auth(token.c_str());
  http_->set_read_timeout(kTimeoutSeconds, 0);
  http_->set_write_timeout(kTimeoutSeconds, 0);
  http_->set_connection_timeout(10, 0);
}

ServiceClient::~ServiceClient() = default;

Json ServiceClient::Check(const std::string& what, const void* opaque, int expected_status) {
  const auto& result = *static_cast<const httplib::Result*>(opaque);
  if (!result) {
    throw Error(ErrorCode::kUnavailable, what + ": no cirque service answered at " + url_ + " (" +
                                             httplib::to_string(result.error()) +
                                             "); fix: start one with `cirque serve`, or give --server URL");
  }
  Json body;
  if (!result->body.empty() && result->get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    body = Json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  }
  if (result->status != expected_status) {
    if (body.is_object() && body.contains("code") && body.contains("message")) {
      throw Error(ErrorCodeFromSlug(body["code"].get<std::string>()), body["message"].get<std::string>());
    }
    throw Error(ErrorCode::kInternal,
                what + ": the service answered HTTP " + std::to_string(result->status) + ": " + result->body);
  }
  return body;
}

Json ServiceClient::CreateHome(const Json& nodes) {
  auto result = http_->Post("/v1/homes", Json{{"nodes", nodes}}.dump(), "application/json");
  return Check("making a home", &result, 201);
}

Json ServiceClient::ListHomes() {
  auto result = http_->Get("/v1/homes");
  return Check("listing homes", &result, 200);
}

Json ServiceClient::GetHome(const std::string& home) {
  auto result = http_->Get(("/v1/homes/" + home).c_str());
  return Check("home " + home, &result, 200);
}

void ServiceClient::DeleteHome(const std::string& home) {
  auto result = http_->Delete(("/v1/homes/" + home).c_str());
  Check("removing home " + home, &result, 204);
}

Json ServiceClient::AddNodes(const std::string& home, const Json& nodes) {
  auto result = http_->Post(("/v1/homes/" + home + "/nodes").c_str(), Json{{"nodes", nodes}}.dump(), "application/json");
  return Check("adding nodes to home " + home, &result, 201);
}

docker::ExecResult ServiceClient::Exec(const std::string& home, const std::string& node,
                                       const std::vector<std::string>& argv, long deadline_ms) {
  auto result = http_->Post(("/v1/homes/" + home + "/nodes/" + node + "/exec").c_str(),
                            Json{{"argv", argv}, {"deadline_ms", deadline_ms}}.dump(), "application/json");
  Json body = Check("running a command in " + home + "/" + node, &result, 200);
  return {.exit_code = body["exit_code"], .stdout_text = body["stdout"], .stderr_text = body["stderr"]};
}

std::string ServiceClient::Logs(const std::string& home, const std::string& node, int tail) {
  std::string path = "/v1/homes/" + home + "/nodes/" + node + "/logs";
  if (tail >= 0) path += "?tail=" + std::to_string(tail);
  auto result = http_->Get(path.c_str());
  Check("the log of " + home + "/" + node, &result, 200);
  return result->body;
}

}  // namespace cirque::service
