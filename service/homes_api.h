// What the cirque CLI does with homes, wherever they live: on a cirque
// service (ServiceClient, over /v1) or in the CLI's own process
// (tools/cirque/local_homes.h). Every call answers the JSON of the matching
// /v1 route (v1_api.h), so one printer serves both.
//
// Errors: Error with the library's codes (kNotFound for an unknown home or
// node, naming the known ones; kInvalidArgument for a bad spec).
// Thread safety: one object per thread.
#ifndef CIRQUE_SERVICE_HOMES_API_H_
#define CIRQUE_SERVICE_HOMES_API_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cirque_test/docker/exec_spec.h"

namespace cirque::service {

class HomesApi {
 public:
  virtual ~HomesApi() = default;
  // {name: Cirque node spec} -> the home (POST /v1/homes).
  virtual nlohmann::json CreateHome(const nlohmann::json& nodes) = 0;
  // {"homes": [{"id", "name", "nodes": [names]}]}.
  virtual nlohmann::json ListHomes() = 0;
  virtual nlohmann::json GetHome(const std::string& home) = 0;
  virtual void DeleteHome(const std::string& home) = 0;
  // {name: spec} -> {"nodes": [node]}.
  virtual nlohmann::json AddNodes(const std::string& home, const nlohmann::json& nodes) = 0;
  // A non-zero exit is a result, not an error.
  virtual docker::ExecResult Exec(const std::string& home, const std::string& node,
                                  const std::vector<std::string>& argv, long deadline_ms = 60000) = 0;
  // tail < 0: the whole log.
  virtual std::string Logs(const std::string& home, const std::string& node, int tail = -1) = 0;
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_HOMES_API_H_
