// Tar archives from the engine (GET /containers/{id}/archive: artifacts,
// captures, the radio kit): ReadTar. Contract: entries or cirque::Error,
// and no entry claims more content than the archive had.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view archive(reinterpret_cast<const char*>(data), size);
  try {
    size_t total = 0;
    for (const auto& entry : cirque::ReadTar(archive)) total += entry.content.size();
    if (total > size) std::abort();
  } catch (const cirque::Error&) {
  }
  return 0;
}
