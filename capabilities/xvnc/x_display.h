// One X display on the engine: TigerVNC's Xvnc in a helper container of
// the home, which a node uses through a shared volume.
//
// The helper (role "xvnc", the home's labels, so the reaper removes it when
// the run that made it died) runs `Xvnc :<docker_display_id>
// -SecurityTypes None` with its X socket directory /tmp/.X11-unix on an
// anonymous volume; the node mounts that volume (volumes_from) and gets
// DISPLAY=:<docker_display_id>, so the socket is at the path the node
// expects whatever engine runs it (local, remote, the VM). The VNC port
// 5900 in the helper is published on the engine's host at 5900 + number()
// (display_allocation.h says how numbers never collide), on 127.0.0.1, or
// on every address when the settings say localhost = false.
//
// Start returns once Xvnc answers on its socket, so a node started after it
// finds the socket there (Docker would otherwise make a directory at that
// path). The destructor removes the helper and its volume.
//
// Thread safety: the accessors, Screenshot, Windows and Size may be called
// from several threads; Release and destruction from one.
#ifndef CIRQUE_CAPABILITIES_XVNC_X_DISPLAY_H_
#define CIRQUE_CAPABILITIES_XVNC_X_DISPLAY_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "capabilities/xvnc/x_windows.h"
#include "capabilities/xvnc/xvnc_settings.h"
#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

// Labels on a display's helper, besides the home's: the node it serves and
// its settings, so a later process can take it over (XDisplay::Recover).
inline constexpr const char* kXvncRole = "xvnc";
inline constexpr const char* kXvncDockerDisplayLabel = "cirque.xvnc.docker_display";
inline constexpr const char* kXvncLocalhostLabel = "cirque.xvnc.localhost";

struct XDisplaySize {
  int width = 0;
  int height = 0;
};

class XDisplay {
 public:
  // Default: how long Start waits for Xvnc to answer.
  static constexpr std::chrono::seconds kReadyDeadline{30};
  // The screen the server has.
  static constexpr XDisplaySize kScreen{1024, 768};

  // Takes a display number (settings.display_id, or the first free one),
  // starts Xvnc from `image` (which has tigervnc-standalone-server and
  // x11-utils) for node `node`, and waits until it answers. Throws Error:
  // kConflict naming the display when the asked display_id is taken, or
  // kDeadlineExceeded / kInternal with the server's log when it did not
  // come up. Leaves nothing behind on error.
  static std::unique_ptr<XDisplay> Start(home::HomeContext& home, const std::string& node,
                                         const std::string& image, const XvncSettings& settings);
  // The display an earlier process started for `node` of this home (a
  // running home adopted: VirtualHome::Adopt). Throws Error (kNotFound)
  // when there is none or it is not running.
  static std::unique_ptr<XDisplay> Recover(home::HomeContext& home, const std::string& node);

  // Removes the helper and its volume; never throws.
  ~XDisplay();
  XDisplay(const XDisplay&) = delete;
  XDisplay& operator=(const XDisplay&) = delete;

  // Leaves the helper running (its home is left running, to be adopted).
  void Release();

  int number() const { return number_; }  // on the engine's host
  int docker_display_id() const { return docker_display_id_; }
  std::string node_display() const { return ":" + std::to_string(docker_display_id_); }
  int vnc_port() const { return kVncPortBase + number_; }
  // The engine host's address the VNC port is published on: "127.0.0.1",
  // or "0.0.0.0" for all.
  std::string vnc_host_ip() const { return localhost_ ? "127.0.0.1" : "0.0.0.0"; }
  const std::string& helper_id() const { return helper_id_; }

  // A PNG of the whole screen. Throws Error naming the display and the
  // tools' output when it could not be taken.
  std::string Screenshot(std::chrono::milliseconds deadline = std::chrono::seconds(20));
  // The root window's children (top-level windows), mapped or not.
  std::vector<XWindow> Windows(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  XDisplaySize Size();

 private:
  XDisplay(docker::DockerClient& client, std::string helper_id, int number, int docker_display_id,
           bool localhost);
  // Waits until Xvnc answers on its socket; throws with its log otherwise.
  void AwaitReady(std::chrono::milliseconds deadline);
  docker::ExecResult Run(const std::vector<std::string>& argv, std::chrono::milliseconds deadline);
  std::string Describe() const;

  docker::DockerClient& client_;
  std::string helper_id_;
  const int number_;
  const int docker_display_id_;
  const bool localhost_;
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_X_DISPLAY_H_
