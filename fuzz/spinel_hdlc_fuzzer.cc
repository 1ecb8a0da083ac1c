// The serial bytes between a Thread radio and its host stack, as
// cirque_thread_tty reads them: HDLC frames holding Spinel. Contract: the
// decoder takes any bytes in any split; a frame encoded by HdlcEncode comes
// out of it whole, after any garbage; the Spinel version parser returns.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "capabilities/thread/spinel_hdlc.h"

using cirque::capabilities::thread::HdlcDecoder;
namespace spinel = cirque::capabilities::thread;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // The input's first byte picks where the stream is split between reads.
  size_t cut = size == 0 ? 0 : static_cast<unsigned char>(bytes[0]) % size;
  HdlcDecoder decoder;
  for (const auto& payload : decoder.Feed(bytes.substr(0, cut))) spinel::ParseSpinelNcpVersion(payload);
  for (const auto& payload : decoder.Feed(bytes.substr(cut))) spinel::ParseSpinelNcpVersion(payload);
  // After whatever came before, a flag resynchronises: a whole frame of
  // the input as payload comes through.
  HdlcDecoder fresh;
  fresh.Feed(bytes);
  std::vector<std::string> frames = fresh.Feed(spinel::HdlcEncode(bytes));
  if (frames.empty() || frames.back() != bytes) std::abort();
  return 0;
}
