// IEEE 802.15.4 captures of a home's Thread media: one pcap per medium
// (home network and petition), link type 195 (frames with their FCS),
// kept as the home's artifacts ("thread-<network>-petition-<n>.pcap"), so a
// failed test's outputs hold every frame its Thread nodes sent.
//
// A helper container on the home network (made with the home's first
// Thread node, from the generic image) runs cirque_thread_tty's sniffer,
// one process per medium, each a member of the medium's multicast group
// like the radios. Watch returns once the medium's sniffer is listening,
// so no frame a radio sends after its node is enabled is missed.
//
// Thread safety: every method may be called from several threads.
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_CAPTURE_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_CAPTURE_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "capabilities/thread/thread_radio_kit.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

class ThreadCapture : public home::HomeResource {
 public:
  static constexpr const char* kResourceKey = "thread.capture";

  ThreadCapture(home::HomeContext& home, std::shared_ptr<const ThreadRadioKit> kit);
  ~ThreadCapture() override;
  std::vector<std::string> Close() override;
  // Leaves the sniffers running (the home is left running, to be adopted).
  void Release() override;
  // "thread-<network>-petition-<n>.pcap" -> the capture so far.
  std::map<std::string, std::string> Artifacts() override;

  // Captures `petition`'s medium on Docker network `network`, if not yet.
  // Throws the engine's Error, or Error naming what the sniffer said.
  void Watch(const std::string& network, int petition);
  // Takes over the medium's sniffer an earlier process started (adoption
  // of a running home), or watches the medium afresh when there is none.
  void Adopt(const std::string& network, int petition);
  // The capture of one medium so far (a pcap). Throws Error (kNotFound)
  // for a medium not watched.
  std::string Read(const std::string& network, int petition);

 private:
  std::string SnifferOn(const std::string& network);  // container id
  static std::string PcapPath(int petition);

  home::HomeContext& home_;
  std::shared_ptr<const ThreadRadioKit> kit_;
  std::mutex mutex_;
  std::map<std::string, std::string> sniffers_;             // GUARDED_BY(mutex_): network -> container
  std::set<std::pair<std::string, int>> watched_;           // GUARDED_BY(mutex_)
};

// The home's captures, made on first use with `kit`.
ThreadCapture& HomeThreadCapture(home::HomeContext& home, std::shared_ptr<const ThreadRadioKit> kit);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_CAPTURE_H_
