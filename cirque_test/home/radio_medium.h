// A home's simulated radio medium: mac80211_hwsim radios made one at a time
// for the home's nodes and moved into their network namespaces.
//
// Radios are made from a helper container with a network namespace of the
// home's own. hwsim lets a radio hear only radios made from the same
// namespace group, so two homes never hear each other, even on one SSID.
// The helper shares the engine host's pid namespace (to name a node's
// namespace by its pid) and has NET_ADMIN; it is not privileged.
//
// A radio lives as long as the node's network namespace: mac80211_hwsim
// deletes a radio made outside the root namespace when the namespace it is
// in goes away. So stopping or removing a node deletes its radio, and the
// radios of a run that died go with its containers.
//
// Thread safety: Attach and Detach may be called concurrently.
#ifndef CIRQUE_TEST_HOME_RADIO_MEDIUM_H_
#define CIRQUE_TEST_HOME_RADIO_MEDIUM_H_

#include <chrono>
#include <future>
#include <mutex>
#include <string>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

struct RadioAttachment {
  int radio_id = -1;
  std::string phy;        // the wiphy's name: "cq<home>-<n>"
  std::string interface;  // its interface in the node: "wlan0"
};

class RadioMedium {
 public:
  // Starts the helper from `image` (which must have iw and iproute2) and
  // copies the hwsim_ctl tool at `hwsim_ctl_path` into it. The helper runs
  // `startup_script` (sh) first, in its namespace with NET_ADMIN: a home
  // probes the engine's features that way. Throws Error.
  RadioMedium(docker::DockerClient& client, const std::string& image, const std::string& home_id,
              const std::string& hwsim_ctl_path, const std::string& startup_script = "true");
  // Removes the helper; never throws.
  ~RadioMedium();
  RadioMedium(const RadioMedium&) = delete;
  RadioMedium& operator=(const RadioMedium&) = delete;

  // Makes a radio and moves it into the container whose main process has
  // `node_pid` (in the engine host's pid namespace), naming its interface
  // `interface`. Throws Error naming the step and the tool's output.
  RadioAttachment Attach(const std::string& container_id, int node_pid, const std::string& interface);

  // The radio is deleted by the kernel when the node stops (its network
  // namespace goes); Detach only marks the end of its use.
  void Detach(const std::string& container_id, const RadioAttachment& radio);

  const std::string& helper_id() const { return helper_id_; }
  // What the startup script printed, once it finished (polls the helper's
  // logs). Throws Error (kDeadlineExceeded) after `deadline`.
  std::string StartupOutput(std::chrono::milliseconds deadline = std::chrono::seconds(30));

 private:
  void InstallTool(const std::string& container_id);
  docker::ExecResult MustRun(const std::string& container_id, const std::vector<std::string>& argv,
                             const std::string& what);

  docker::DockerClient& client_;
  std::string home_id_;
  std::string tool_;  // hwsim_ctl's bytes
  std::string helper_id_;
  std::future<void> tool_installed_;
  std::mutex mutex_;
  int next_radio_ = 0;  // GUARDED_BY(mutex_)
};

// Copies the hwsim_ctl tool at `hwsim_ctl_path` into the container's
// /usr/local/bin. Throws Error (kFailedPrecondition) naming the fix when the
// tool is missing.
void CopyHwsimCtl(docker::DockerClient& client, const std::string& container_id,
                  const std::string& hwsim_ctl_path);

// Where the hwsim_ctl tool is: $CIRQUE_HWSIM_CTL, else the Bazel runfiles
// path, else bazel-bin/ under $BUILD_WORKSPACE_DIRECTORY or the current
// directory. Returns "" when none exists.
std::string FindHwsimCtl();

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_RADIO_MEDIUM_H_
