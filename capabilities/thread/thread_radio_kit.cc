#include "capabilities/thread/thread_radio_kit.h"

#include <map>
#include <mutex>

#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::capabilities {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

ThreadRadioKit::ThreadRadioKit(const std::string& radio_files, std::string tty) {
  std::map<std::string, std::string> binaries;  // base name -> bytes
  for (const auto& entry : ReadTar(radio_files)) {
    if (entry.type == TarEntryType::kFile) binaries[BaseName(entry.name)] = entry.content;
  }
  if (binaries.count("ot-rcp") == 0) {
    throw Error(ErrorCode::kFailedPrecondition,
                std::string("the thread image has no ot-rcp in ") + kImageRadioDir +
                    "; build it again with tools/setup (OPENTHREAD_SRC or OPENTHREAD_BIN)");
  }
  auto archive = [&tty](const char* radio, const std::string* bytes) {
    TarWriter tar;
    tar.AddDirectory("opt");
    tar.AddDirectory("opt/cirque");
    tar.AddDirectory("opt/cirque/thread");
    if (bytes != nullptr) tar.AddFile(std::string("opt/cirque/thread/") + radio, *bytes, 0755);
    tar.AddFile("opt/cirque/thread/cirque_thread_tty", tty, 0755);
    return tar.Finish();
  };
  rcp_archive_ = archive("ot-rcp", &binaries["ot-rcp"]);
  if (binaries.count("ot-ncp-ftd") != 0) ncp_archive_ = archive("ot-ncp-ftd", &binaries["ot-ncp-ftd"]);
  tool_archive_ = archive("", nullptr);
}

std::shared_ptr<const ThreadRadioKit> RadioKitFor(docker::DockerClient& client, const std::string& image,
                                                  const docker::Labels& labels, const std::string& tty_path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const ThreadRadioKit>> kits;  // engine + image -> kit
  // One fetch at a time: homes made in parallel wait for the first.
  std::lock_guard<std::mutex> lock(mutex);
  const std::string key = client.endpoint().ToString() + " " + image + " " + tty_path;
  if (auto found = kits.find(key); found != kits.end()) return found->second;

  std::string tty = ReadBuiltTool(kThreadTty, tty_path);
  docker::ContainerSpec spec;
  spec.image = image;
  spec.labels = labels;
  spec.process.entrypoint = std::vector<std::string>{"true"};
  spec.network.network_mode = "none";
  std::string id = client.CreateContainer(spec);
  std::string files;
  try {
    files = client.CopyFromContainer(id, kImageRadioDir);
  } catch (...) {
    try {
      client.RemoveContainer(id, true);
    } catch (const std::exception&) {
      // Labelled: the reaper removes it.
    }
    throw;
  }
  client.RemoveContainer(id, true);
  auto kit = std::make_shared<const ThreadRadioKit>(files, std::move(tty));
  kits[key] = kit;
  return kit;
}

}  // namespace cirque::capabilities
