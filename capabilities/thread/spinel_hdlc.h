// Just enough of Spinel over HDLC-lite (the framing OpenThread's radios and
// NCPs speak on their serial device) to ask a device for its version: the
// check that a node's device answers, whoever drives it afterwards.
//
// HDLC-lite: a frame is 0x7e, the payload and its FCS (CRC-16/X.25, low
// byte first) with 0x7e, 0x7d, 0x11, 0x13 and 0xf8 escaped as 0x7d,
// byte ^ 0x20, then 0x7e. Spinel: a header byte (flag 0b10, interface 0,
// transaction id), a command and a property, each a packed integer
// (values below 128 are one byte).
//
// Pure functions and a value type; thread-compatible.
#ifndef CIRQUE_CAPABILITIES_THREAD_SPINEL_HDLC_H_
#define CIRQUE_CAPABILITIES_THREAD_SPINEL_HDLC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cirque::capabilities::thread {

// The FCS of `bytes` as HDLC-lite computes it.
uint16_t HdlcFcs(const std::string& bytes);

// `payload` framed: flag, escaped payload and FCS, flag.
std::string HdlcEncode(const std::string& payload);

// Splits a byte stream into frame payloads. Frames with a bad FCS, and
// bytes before the first flag, are dropped (counted in dropped()).
class HdlcDecoder {
 public:
  // Feeds bytes; returns the payloads of the frames they complete.
  std::vector<std::string> Feed(const std::string& bytes);
  int dropped() const { return dropped_; }

 private:
  std::string frame_;
  bool in_frame_ = false;
  bool escaped_ = false;
  int dropped_ = 0;
};

// The Spinel payload asking for the NCP version (PROP_VALUE_GET of
// PROP_NCP_VERSION) with transaction id `tid` (1..15).
std::string SpinelGetNcpVersion(int tid);

// The version string from a PROP_VALUE_IS of PROP_NCP_VERSION, or nothing
// for any other payload.
std::optional<std::string> ParseSpinelNcpVersion(const std::string& payload);

}  // namespace cirque::capabilities::thread

#endif  // CIRQUE_CAPABILITIES_THREAD_SPINEL_HDLC_H_
