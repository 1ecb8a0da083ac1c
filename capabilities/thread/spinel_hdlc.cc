#include "capabilities/thread/spinel_hdlc.h"

namespace cirque::capabilities::thread {
namespace {

constexpr unsigned char kFlag = 0x7e;
constexpr unsigned char kEscape = 0x7d;
constexpr uint16_t kGoodFcs = 0xf0b8;  // the FCS over a frame and its own FCS

bool NeedsEscape(unsigned char byte) {
  return byte == kFlag || byte == kEscape || byte == 0x11 || byte == 0x13 || byte == 0xf8;
}

void AppendEscaped(std::string& out, unsigned char byte) {
  if (NeedsEscape(byte)) {
    out += static_cast<char>(kEscape);
    out += static_cast<char>(byte ^ 0x20);
  } else {
    out += static_cast<char>(byte);
  }
}

// The running FCS, before the final complement.
uint16_t FcsUpdate(uint16_t fcs, unsigned char byte) {
  fcs ^= byte;
  for (int bit = 0; bit < 8; ++bit) fcs = (fcs & 1) ? (fcs >> 1) ^ 0x8408 : fcs >> 1;
  return fcs;
}

constexpr int kCmdPropValueGet = 2;
constexpr int kCmdPropValueIs = 6;
constexpr int kPropNcpVersion = 2;

}  // namespace

uint16_t HdlcFcs(const std::string& bytes) {
  uint16_t fcs = 0xffff;
  for (unsigned char byte : bytes) fcs = FcsUpdate(fcs, byte);
  return fcs ^ 0xffff;
}

std::string HdlcEncode(const std::string& payload) {
  std::string out(1, static_cast<char>(kFlag));
  for (unsigned char byte : payload) AppendEscaped(out, byte);
  uint16_t fcs = HdlcFcs(payload);
  AppendEscaped(out, fcs & 0xff);
  AppendEscaped(out, fcs >> 8);
  out += static_cast<char>(kFlag);
  return out;
}

std::vector<std::string> HdlcDecoder::Feed(const std::string& bytes) {
  std::vector<std::string> frames;
  for (unsigned char byte : bytes) {
    if (byte == kFlag) {
      if (in_frame_ && frame_.size() >= 2) {
        uint16_t fcs = 0xffff;
        for (unsigned char c : frame_) fcs = FcsUpdate(fcs, c);
        if (fcs == kGoodFcs) {
          frames.push_back(frame_.substr(0, frame_.size() - 2));
        } else {
          ++dropped_;
        }
      }
      frame_.clear();
      in_frame_ = true;
      escaped_ = false;
    } else if (!in_frame_) {
      continue;
    } else if (byte == kEscape) {
      escaped_ = true;
    } else {
      frame_ += static_cast<char>(escaped_ ? byte ^ 0x20 : byte);
      escaped_ = false;
    }
  }
  return frames;
}

std::string SpinelGetNcpVersion(int tid) {
  std::string payload;
  payload += static_cast<char>(0x80 | (tid & 0x0f));  // flag 0b10, interface 0
  payload += static_cast<char>(kCmdPropValueGet);
  payload += static_cast<char>(kPropNcpVersion);
  return payload;
}

std::optional<std::string> ParseSpinelNcpVersion(const std::string& payload) {
  if (payload.size() < 3) return std::nullopt;
  if ((static_cast<unsigned char>(payload[0]) & 0xc0) != 0x80) return std::nullopt;
  if (payload[1] != kCmdPropValueIs || payload[2] != kPropNcpVersion) return std::nullopt;
  std::string version = payload.substr(3);
  if (size_t end = version.find('\0'); end != std::string::npos) version.resize(end);
  return version;
}

}  // namespace cirque::capabilities::thread
