// Thread: a simulated Thread radio chip in the node, behind a serial device
// (/dev/ttyUSB0 by default) speaking Spinel over HDLC, as an RCP (ot-rcp)
// or an NCP (ot-ncp-ftd); and, for an RCP, a host stack on it (ot-daemon
// from the node's image, which `ot-ctl` then drives).
//
// The radio runs inside the node from static binaries copied in
// (thread_radio_kit.h), so it needs nothing from the node's image; it
// goes with the node's container, settings and all. Which radios hear each
// other: thread_media.h.
//
// Enable waits, each wait with a deadline that names what it waited for:
// the node's IPv4 address on eth0 and the device open (one exec),
// then the host stack answering `ot-ctl state`. Its errors carry the tail
// of the radio's and the host stack's logs.
//
// Thread safety: as home::Capability (one node's calls never overlap);
// Describe may run beside them.
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_CAPABILITY_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_CAPABILITY_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "capabilities/thread/thread_capture.h"
#include "capabilities/thread/thread_links.h"
#include "capabilities/thread/thread_media.h"
#include "capabilities/thread/thread_radio_kit.h"
#include "capabilities/thread/thread_settings.h"
#include "cirque_test/home/capability.h"

namespace cirque::capabilities {

struct ThreadOptions {
  std::string image = "thread";  // the node image the radio binaries come from
  std::string tty_path;          // cirque_thread_tty; default FindBuiltTool(kThreadTty)
  std::chrono::milliseconds radio_deadline{20000};
  std::chrono::milliseconds host_stack_deadline{20000};
};

// The logs a Thread node keeps (artifacts on failure).
inline constexpr const char* kThreadRadioLog = "/opt/cirque/thread/radio.log";
inline constexpr const char* kThreadHostStackLog = "/opt/cirque/thread/host-stack.log";

// /dev/net/tun on the engine's host, for a host stack's wpan0.
home::Requirement TunRequirement();

class ThreadCapability : public home::Capability {
 public:
  ThreadCapability(ThreadSettings settings, ThreadOptions options);

  std::string name() const override { return kThread; }
  std::vector<home::Requirement> Requirements() const override;
  void Prepare(home::HomeContext& home) override;
  void Configure(docker::ContainerSpec& container) override;
  void Enable(home::NodeRuntime& node) override;
  void Disable(home::NodeRuntime& node) override;
  // Takes the home's media, links and capture as Prepare does, and the
  // node's place on its medium from its running radio's command line.
  void Adopt(home::NodeRuntime& node) override;
  std::map<std::string, std::string> Describe() const override;
  std::vector<std::string> Artifacts() const override;

  const ThreadSettings& settings() const { return settings_; }
  // The home's radio links (thread_links.h). REQUIRES: Prepare ran.
  ThreadLinks& links();
  // The home's captures of its Thread media. REQUIRES: Prepare ran.
  ThreadCapture& capture();
  // The node's place on its medium; nothing before Enable.
  std::optional<ThreadMember> member() const;
  // "; <log> ends: ..." for the radio's and the host stack's logs, for
  // error messages. Never throws.
  std::string LogTail(home::NodeRuntime& node) const;

 private:
  void StartRadio(home::NodeRuntime& node, const ThreadMember& member);
  // Remembers the exec, so a host stack that dies is reported at once.
  void StartHostStack(home::NodeRuntime& node);
  // Polls `ot-ctl state` until it names a role.
  void AwaitHostStack(home::NodeRuntime& node);

  ThreadSettings settings_;
  ThreadOptions options_;
  ThreadMedia* media_ = nullptr;  // the home's; outlives the node's capabilities
  ThreadLinks* links_ = nullptr;  // the home's
  ThreadCapture* capture_ = nullptr;  // the home's
  std::shared_ptr<const ThreadRadioKit> kit_;
  mutable std::mutex mutex_;
  std::optional<ThreadMember> member_;  // GUARDED_BY(mutex_)
  std::string host_stack_exec_;          // the background exec running it
};

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_CAPABILITY_H_
