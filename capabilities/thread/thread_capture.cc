#include "capabilities/thread/thread_capture.h"

#include "capabilities/thread/idle_helper.h"
#include "capabilities/thread/thread_media.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::capabilities {

ThreadCapture::ThreadCapture(home::HomeContext& home, std::shared_ptr<const ThreadRadioKit> kit)
    : home_(home), kit_(std::move(kit)) {}

ThreadCapture::~ThreadCapture() { Close(); }

std::vector<std::string> ThreadCapture::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> problems;
  for (const auto& [network, id] : sniffers_) {
    try {
      home_.client().RemoveContainer(id, true);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) problems.push_back(error.what());
    }
  }
  sniffers_.clear();
  return problems;
}

void ThreadCapture::Release() {
  std::lock_guard<std::mutex> lock(mutex_);
  sniffers_.clear();
  watched_.clear();
}

std::string ThreadCapture::PcapPath(int petition) {
  return "/opt/cirque/thread/petition-" + std::to_string(petition) + ".pcap";
}

std::string ThreadCapture::SnifferOn(const std::string& network) {
  if (auto found = sniffers_.find(network); found != sniffers_.end()) return found->second;
  docker::ContainerSpec spec = IdleHelperSpec(home_, "thread-capture", "thread-capture-" + network);
  spec.network.network_mode = network;
  std::string id = home_.client().CreateContainer(spec);
  sniffers_[network] = id;  // recorded first: Close removes it whatever happens next
  home_.client().StartContainer(id);
  home_.client().CopyToContainer(id, "/", kit_->tool_archive());
  return id;
}

void ThreadCapture::Watch(const std::string& network, int petition) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (watched_.count({network, petition}) != 0) return;
  std::string sniffer = SnifferOn(network);
  const std::string pcap = PcapPath(petition);
  home_.client().ExecDetached(sniffer, {.cmd = {kThreadTtyPath, "run", "--log", pcap + ".log", "--", kThreadTtyPath,
                                                "sniff", "--interface", "eth0", "--port",
                                                std::to_string(ThreadListenPort(petition)), "--pcap", pcap,
                                                "--timeout-ms", "10000"}});
  docker::ExecResult ready = home_.client().Exec(
      sniffer, {.cmd = {kThreadTtyPath, "await-file", "--path", pcap, "--timeout-ms", "10000"},
                .deadline = std::chrono::seconds(20)});
  if (ready.exit_code != 0) {
    docker::ExecResult log = home_.client().Exec(sniffer, {.cmd = {"cat", pcap + ".log"}});
    throw Error(ErrorCode::kInternal, "Thread capture of petition " + std::to_string(petition) + " on " + network +
                                          ": the sniffer did not start: " +
                                          LastLines(ready.stderr_text + ready.stdout_text + log.stdout_text, 5));
  }
  watched_.insert({network, petition});
}

void ThreadCapture::Adopt(const std::string& network, int petition) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (watched_.count({network, petition}) != 0) return;
    if (sniffers_.count(network) == 0) {
      try {
        docker::ContainerInfo sniffer = home_.client().InspectContainer(home_.ResourceName("thread-capture-" + network));
        if (sniffer.state.running) sniffers_[network] = sniffer.id;
      } catch (const Error& error) {
        if (error.code() != ErrorCode::kNotFound) throw;
      }
    }
    if (sniffers_.count(network) != 0) {
      docker::ExecResult pcap =
          home_.client().Exec(sniffers_[network], {.cmd = {"test", "-f", PcapPath(petition)},
                                                   .deadline = std::chrono::seconds(20)});
      if (pcap.exit_code == 0) {
        watched_.insert({network, petition});
        return;
      }
    }
  }
  Watch(network, petition);
}

std::string ThreadCapture::Read(const std::string& network, int petition) {
  std::string sniffer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (watched_.count({network, petition}) == 0) {
      throw Error(ErrorCode::kNotFound, "no Thread capture of petition " + std::to_string(petition) + " on " + network);
    }
    sniffer = sniffers_.at(network);
  }
  for (const auto& entry : ReadTar(home_.client().CopyFromContainer(sniffer, PcapPath(petition)))) {
    if (entry.type == TarEntryType::kFile) return entry.content;
  }
  throw Error(ErrorCode::kInternal, "the Thread capture " + PcapPath(petition) + " is not a file");
}

std::map<std::string, std::string> ThreadCapture::Artifacts() {
  std::set<std::pair<std::string, int>> watched;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    watched = watched_;
  }
  std::map<std::string, std::string> artifacts;
  for (const auto& [network, petition] : watched) {
    try {
      artifacts["thread-" + network + "-petition-" + std::to_string(petition) + ".pcap"] = Read(network, petition);
    } catch (const std::exception&) {
      // Best effort: a sniffer gone with a broken engine has nothing to give.
    }
  }
  return artifacts;
}

ThreadCapture& HomeThreadCapture(home::HomeContext& home, std::shared_ptr<const ThreadRadioKit> kit) {
  return home.Resource<ThreadCapture>(ThreadCapture::kResourceKey,
                                      [&home, &kit] { return std::make_unique<ThreadCapture>(home, kit); });
}

}  // namespace cirque::capabilities
