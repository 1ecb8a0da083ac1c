// Building, importing and describing images.
#ifndef CIRQUE_TEST_DOCKER_IMAGE_SPEC_H_
#define CIRQUE_TEST_DOCKER_IMAGE_SPEC_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cirque::docker {

// Supplies a tar stream piece by piece: fills `buffer` with up to `capacity`
// bytes and returns how many; 0 means the end. It may throw: the upload is
// aborted and the call throws (see DockerClient's callback errors).
using TarSource = std::function<size_t(char* buffer, size_t capacity)>;

// Returns a TarSource reading the bytes of `tar` (which must outlive it).
TarSource TarFromString(const std::string& tar);

struct ImportSpec {
  TarSource root_filesystem;  // REQUIRED: a tar of the image's root
  std::string repository;     // REQUIRED: "cirque/base"
  std::string tag = "latest";
  // Dockerfile instructions applied to the import: "LABEL k=v", "CMD [...]".
  std::vector<std::string> changes;
};

struct BuildSpec {
  TarSource context;  // REQUIRED: a tar holding the Dockerfile and its files
  std::vector<std::string> tags;        // "repo:tag"
  std::string dockerfile = "Dockerfile";  // path inside the context
  std::map<std::string, std::string> build_args;
  std::map<std::string, std::string> labels;
  bool no_cache = false;
  // Each line of build output as it arrives (without the trailing newline).
  // It may throw: the build request is aborted and BuildImage throws (see
  // DockerClient's callback errors).
  std::function<void(std::string_view line)> on_progress;
};

struct ImageInfo {
  std::string id;  // "sha256:..."
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;
  long long size = 0;  // bytes
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_IMAGE_SPEC_H_
