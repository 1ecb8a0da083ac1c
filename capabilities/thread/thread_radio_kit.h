// What a Thread node needs to run a simulated radio, whatever its image:
// the static OpenThread simulation binaries (ot-rcp, ot-ncp-ftd), taken
// out of the `thread` node image, and cirque_thread_tty, which puts a radio
// behind a serial device. All three are static and go into the node under
// kThreadKitDir.
//
// Thread safety: ThreadRadioKit is immutable once made; RadioKitFor may be
// called from several threads (one fetch per engine and image per process).
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_RADIO_KIT_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_RADIO_KIT_H_

#include <memory>
#include <string>

#include "capabilities/built_tool.h"
#include "cirque_test/docker/docker_client.h"

namespace cirque::capabilities {

// Where the kit lives in a node, and what is in it.
inline constexpr const char* kThreadKitDir = "/opt/cirque/thread";
inline constexpr const char* kThreadTtyPath = "/opt/cirque/thread/cirque_thread_tty";
inline constexpr const char* kOtRcpPath = "/opt/cirque/thread/ot-rcp";
inline constexpr const char* kOtNcpPath = "/opt/cirque/thread/ot-ncp-ftd";
// Where the `thread` image keeps the static radio binaries.
inline constexpr const char* kImageRadioDir = "/opt/cirque/openthread";

inline constexpr BuiltTool kThreadTty{"CIRQUE_THREAD_TTY", "capabilities/thread/cirque_thread_tty",
                                      "//capabilities/thread:cirque_thread_tty"};

class ThreadRadioKit {
 public:
  // `radio_files`: a tar of the image's kImageRadioDir (as the engine's
  // archive endpoint answers); `tty`: cirque_thread_tty's bytes. Throws
  // Error (kFailedPrecondition) when ot-rcp is not in the tar.
  ThreadRadioKit(const std::string& radio_files, std::string tty);

  // A tar to extract at "/" of a node: kThreadKitDir with the tool and
  // the one radio the node runs (each node gets only what it runs: on 16
  // nodes the copies cost seconds).
  const std::string& archive(bool rcp) const { return rcp ? rcp_archive_ : ncp_archive_; }
  // The tool alone (for helpers that run no radio).
  const std::string& tool_archive() const { return tool_archive_; }
  bool has_ncp() const { return !ncp_archive_.empty(); }

 private:
  std::string rcp_archive_, ncp_archive_, tool_archive_;
};

// The kit for `image` on `client`'s engine: its radio binaries copied out
// of a container of the image made (never started) and removed again, with
// `labels` so a reaper finds it if this process dies meanwhile. Cached per
// engine and image for the life of the process. Throws the engine's Error.
std::shared_ptr<const ThreadRadioKit> RadioKitFor(docker::DockerClient& client, const std::string& image,
                                                  const docker::Labels& labels, const std::string& tty_path);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_RADIO_KIT_H_
