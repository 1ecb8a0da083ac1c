// What the Docker engine answers, read by the client: JSON bodies through
// ReadBody with each mapping, and the multiplexed exec/log stream through
// the demuxer, fed in two reads split anywhere. An engine (or whatever
// answers on its socket) may send anything. Contract: the client reads a
// value or throws cirque::Error naming the request, never a JSON library
// exception; the demuxer hands on no more bytes than it was fed.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/docker/internal/stream_demuxer.h"
#include "cirque_test/util/error.h"

namespace docker = cirque::docker;
namespace internal = cirque::docker::internal;

namespace {

template <typename Read>
void ReadEach(const std::string& body, Read read) {
  try {
    internal::ReadBody(body, "GET /fuzz", read);
  } catch (const cirque::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  ReadEach(body, internal::ParseContainerInfo);
  ReadEach(body, [](const internal::Json& rows) { return internal::ReadRows(rows, internal::ParseContainerSummary); });
  ReadEach(body, internal::ParseExecInfo);
  ReadEach(body, internal::ParseNetworkInfo);
  ReadEach(body, internal::ParseImageInfo);
  ReadEach(body, internal::ParseVersionInfo);
  ReadEach(body, internal::ParseSystemInfo);
  ReadEach(body, internal::ParseCreatedId);
  internal::EngineMessage(body);

  size_t handed_on = 0;
  internal::StreamDemuxer demuxer([&handed_on](docker::OutputStream, std::string_view piece) {
    handed_on += piece.size();
  });
  size_t cut = size == 0 ? 0 : static_cast<unsigned char>(body[0]) % size;
  demuxer.Feed(std::string_view(body).substr(0, cut));
  demuxer.Feed(std::string_view(body).substr(cut));
  if (handed_on > size) std::abort();
  return 0;
}
