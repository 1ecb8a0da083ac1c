// What tools in nodes print, read by cirque: wpa_cli's scan_results and
// key=value status, ot-ctl's replies, ping's summary. A node's software is
// the device maker's and may print anything. Contract: every parser
// returns (or throws cirque::Error), whatever the bytes.
#include <cstdint>
#include <string>

#include "capabilities/thread/ot_ctl.h"
#include "capabilities/wifi_parsing.h"
#include "cirque_test/util/error.h"
#include "fixtures/ping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string output(reinterpret_cast<const char*>(data), size);
  try {
    cirque::capabilities::ParseScanResults(output);
    cirque::capabilities::ParseKeyValues(output);
    cirque::capabilities::ParseOtCtlReply(output);
    cirque::testing::PingResult ping;
    cirque::testing::ParsePingOutput(output, ping);
  } catch (const cirque::Error&) {
  }
  return 0;
}
