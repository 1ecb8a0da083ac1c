// The CLI's homes without a service: `cirque home create` and the rest made
// and driven in the command's own process. A home outlives the command that
// made it: each command adopts the homes it touches (VirtualHome::Adopt)
// and leaves them running (VirtualHome::Release) when it ends; only
// `cirque home rm` removes one.
//
// Whose homes: the CLI's state folder's (~/.local/state/cirque/cli unless
// given), a command-line owner (service_owner.h) that no reaper takes.
// Commands on one folder run one at a time: a command waits up to a minute
// for another's lock. A service's homes or a test run's are never touched.
//
// Errors: as HomesApi; kNotFound for a home this folder does not own.
// Thread safety: one object per process (it sets the process's owner).
#ifndef CIRQUE_TOOLS_CIRQUE_LOCAL_HOMES_H_
#define CIRQUE_TOOLS_CIRQUE_LOCAL_HOMES_H_

#include <memory>
#include <string>
#include <vector>

#include "cirque_test/home/home.h"
#include "cirque_test/home/service_owner.h"
#include "cirque_test/runtime/runtime.h"
#include "service/homes_api.h"
#include "tools/cirque/state_dir.h"

namespace cirque::cli {

class LocalHomes : public service::HomesApi {
 public:
  // Takes the folder's lock and makes this process's owner the folder's,
  // before anything is made.
  explicit LocalHomes(const std::string& state_dir);

  nlohmann::json CreateHome(const nlohmann::json& nodes) override;
  nlohmann::json ListHomes() override;
  nlohmann::json GetHome(const std::string& home) override;
  void DeleteHome(const std::string& home) override;
  nlohmann::json AddNodes(const std::string& home, const nlohmann::json& nodes) override;
  docker::ExecResult Exec(const std::string& home, const std::string& node, const std::vector<std::string>& argv,
                          long deadline_ms = 60000) override;
  std::string Logs(const std::string& home, const std::string& node, int tail = -1) override;

 private:
  // The folder's home `id`, adopted; released (left running) when the
  // last holder lets go, unless destroyed meanwhile.
  std::shared_ptr<home::VirtualHome> Adopt(const std::string& id);

  home::ServiceOwnerLock lock_;
  runtime::Runtime& runtime_;
};

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_LOCAL_HOMES_H_
