#include "cirque_test/docker/testing/busybox_image.h"

#include <fstream>
#include <sstream>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::docker::testing {

std::string BusyboxRootFilesystem() {
  std::ifstream file("/bin/busybox", std::ios::binary);
  std::stringstream busybox;
  busybox << file.rdbuf();
  if (busybox.str().empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "/bin/busybox is missing; install busybox-static (tools/setup does)");
  }
  TarWriter tar;
  for (const char* dir : {"bin", "etc", "tmp", "proc", "sys", "dev", "root", "work"}) {
    tar.AddDirectory(dir, std::string(dir) == "tmp" ? 01777 : 0755);
  }
  tar.AddFile("bin/busybox", busybox.str(), 0755);
  std::istringstream applets(RunProcessOrThrow({"/bin/busybox", "--list"}).stdout_text);
  for (std::string applet; std::getline(applets, applet);) {
    if (!applet.empty() && applet != "busybox") tar.AddSymlink("bin/" + applet, "busybox");
  }
  tar.AddFile("etc/passwd",
              "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
  tar.AddFile("etc/group", "root:x:0:\nnogroup:x:65534:\n");
  return tar.Finish();
}

std::string ImportBusyboxImage(DockerClient& client, const std::string& repository,
                               const std::string& tag, const Labels& labels) {
  std::string rootfs = BusyboxRootFilesystem();
  ImportSpec spec;
  spec.root_filesystem = TarFromString(rootfs);
  spec.repository = repository;
  spec.tag = tag;
  for (const auto& [key, value] : labels) spec.changes.push_back("LABEL " + key + "=" + value);
  spec.changes.push_back("ENV PATH=/bin");
  spec.changes.push_back("CMD [\"sh\"]");
  client.ImportImage(spec);
  return repository + ":" + tag;
}

}  // namespace cirque::docker::testing
