// A client of a cirque service's /v1 API (v1_api.h), for the CLI and the
// benchmarks: one call per route, JSON in and out.
//
// Errors: every call throws Error. An error answer becomes the Error of the
// code the service named ("not_found" -> kNotFound, ...) with its message;
// no answer at all is kUnavailable naming the URL and how to start a
// service. Thread safety: one client per thread.
#ifndef CIRQUE_SERVICE_SERVICE_CLIENT_H_
#define CIRQUE_SERVICE_SERVICE_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/util/error.h"
#include "service/homes_api.h"

namespace httplib {
class Client;
}

namespace cirque::service {

class ServiceClient : public HomesApi {
 public:
  // `url`: "http://127.0.0.1:5000"; `token`: sent as a bearer token when
  // not empty.
  ServiceClient(const std::string& url, const std::string& token = "");
  ~ServiceClient() override;

  const std::string& url() const { return url_; }

  nlohmann::json CreateHome(const nlohmann::json& nodes) override;  // {name: spec}
  nlohmann::json ListHomes() override;
  nlohmann::json GetHome(const std::string& home) override;
  void DeleteHome(const std::string& home) override;
  nlohmann::json AddNodes(const std::string& home, const nlohmann::json& nodes) override;
  docker::ExecResult Exec(const std::string& home, const std::string& node, const std::vector<std::string>& argv,
                          long deadline_ms = 60000) override;
  std::string Logs(const std::string& home, const std::string& node, int tail = -1) override;

 private:
  nlohmann::json Check(const std::string& what, const void* result, int expected_status);

  std::string url_;
  std::unique_ptr<httplib::Client> http_;
};

// "not_found" -> kNotFound, ...; unknown slugs -> kInternal.
ErrorCode ErrorCodeFromSlug(const std::string& slug);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_SERVICE_CLIENT_H_
