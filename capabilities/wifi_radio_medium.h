// A home's simulated radio medium for WiFi: mac80211_hwsim radios made for
// the home's nodes and moved into their network namespaces.
// A home-scoped resource of the WiFi capability (home_context.h): made by
// the first WiFi node's Prepare, removed with the home.
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
// Thread safety: Attach may be called concurrently.
#ifndef CIRQUE_CAPABILITIES_WIFI_RADIO_MEDIUM_H_
#define CIRQUE_CAPABILITIES_WIFI_RADIO_MEDIUM_H_

#include <chrono>
#include <exception>
#include <future>
#include <mutex>
#include <string>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

struct RadioAttachment {
  int radio_id = -1;
  std::string phy;        // the wiphy's name: "cq<home>-<n>"
  std::string interface;  // its interface in the node: "wlan0"
};

class RadioMedium : public home::HomeResource {
 public:
  // The key the WiFi capability keeps it under in its home.
  static constexpr const char* kResourceKey = "wifi.radio-medium";

  // Makes the helper from `image` (which must have iw, iproute2, flock and
  // what program_install.h needs), and
  // starts it and copies the hwsim_ctl tool at `hwsim_ctl_path` into it in
  // the background (the first Attach waits, and throws what failed); takes over the
  // home's helper when an earlier process made it (adoption: new radios
  // must be made from the same namespace to hear the old ones). Throws
  // Error.
  RadioMedium(home::HomeContext& home, const std::string& image, const std::string& hwsim_ctl_path);
  // Removes the helper; never throws.
  ~RadioMedium() override;
  RadioMedium(const RadioMedium&) = delete;
  RadioMedium& operator=(const RadioMedium&) = delete;

  // Makes a radio and moves it into the container whose main process has
  // `node_pid` (in the engine host's pid namespace), naming its interface
  // `interface`. Throws Error naming the step and the tool's output.
  RadioAttachment Attach(const std::string& container_id, int node_pid, const std::string& interface);
  // The radio an earlier process attached to the container as `interface`
  // (adoption of a running home), read from the node; later radios are
  // named after it. Throws Error when the node has no such radio.
  RadioAttachment Reattach(const std::string& container_id, const std::string& interface);

  // Leaves the helper running (its home is left running, to be adopted).
  void Release() override;

  const std::string& helper_id() const { return helper_id_; }

 private:
  void InstallTool(const std::string& container_id);
  docker::ExecResult MustRun(const std::string& container_id, const std::vector<std::string>& argv,
                             const std::string& what, std::chrono::milliseconds deadline);

  docker::DockerClient& client_;
  std::string home_id_;
  std::string tool_;  // hwsim_ctl's bytes
  std::string helper_id_;
  std::mutex mutex_;
  // Started, tool in. GUARDED_BY(mutex_) in Attach; Release and the
  // destructor wait on it unlocked, as the home never runs them beside an
  // Equip (its change lock).
  std::future<void> helper_ready_;
  std::exception_ptr helper_error_;  // GUARDED_BY(mutex_)
  int next_radio_ = 0;                // GUARDED_BY(mutex_)
};

// Where a WiFi capability gets its home's medium from.
struct WifiRadioOptions {
  // Image (name, through HomeContext::ResolveImage) with iw and iproute2.
  std::string image = "wifi-ap";
  // The hwsim_ctl tool to copy into the helper. Default: FindHwsimCtl().
  std::string hwsim_ctl_path;
};

// The home's medium, started by whichever WiFi node asks first.
RadioMedium& HomeRadioMedium(home::HomeContext& home, const WifiRadioOptions& options);

// mac80211_hwsim in the engine host's kernel.
home::Requirement HwsimRequirement();

// Copies the hwsim_ctl tool at `hwsim_ctl_path` into the container's
// /usr/local/bin. Throws Error (kFailedPrecondition) naming the fix when the
// tool is missing.
void CopyHwsimCtl(docker::DockerClient& client, const std::string& container_id,
                  const std::string& hwsim_ctl_path);

// Where the hwsim_ctl tool is: $CIRQUE_HWSIM_CTL, else the program's
// runfiles, else bazel-bin/ under the current directory or
// $BUILD_WORKSPACE_DIRECTORY. Returns "" when none exists.
std::string FindHwsimCtl();

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_RADIO_MEDIUM_H_
