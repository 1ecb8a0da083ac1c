// The exec agent's wire format: how a node's commands reach the agent that
// runs them (cirque_exec_agent, copied into the node) and how their output
// and exit come back. One docker exec carries the agent's stdin and stdout
// for the node's life, so that a command costs a message, not a runtime
// exec (about 0.25 s each on an emulated engine).
//
// Integers are 32-bit big-endian.
//   request (client -> agent):  [payload size][deadline ms][argc]([arg size][arg bytes])*
//   record (agent -> client):   [kind: 1 byte][payload size][payload]
// Records: kHello once when the agent starts (payload kAgentVersion);
// kStdout / kStderr pieces of the command's output; kExit last, payload
// [exit code][killed: 1 byte] (exit code 128+N for a signal N; killed = 1
// when the agent killed it at its deadline).
//
// Thread safety: plain functions over values; RecordReader is one per
// stream.
#ifndef CIRQUE_TEST_AGENT_EXEC_AGENT_PROTOCOL_H_
#define CIRQUE_TEST_AGENT_EXEC_AGENT_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cirque::agent {

inline constexpr char kHello = 'H';
inline constexpr char kStdout = 'O';
inline constexpr char kStderr = 'E';
inline constexpr char kExit = 'X';
inline constexpr std::string_view kAgentVersion = "cirque-exec-agent 1";

// A request bigger than this is refused by both sides: argv is a command
// line, not a file transfer (files go through the engine's archive API).
inline constexpr uint32_t kMaxRequestBytes = 8u << 20;

struct Command {
  uint32_t deadline_ms = 0;
  std::vector<std::string> argv;
};

struct Record {
  char kind = 0;
  std::string payload;
};

void AppendU32(std::string& out, uint32_t value);
uint32_t ReadU32(std::string_view bytes);  // the first 4 bytes

// The whole request, size prefix included. Returns "" when it would exceed
// kMaxRequestBytes.
std::string EncodeCommand(const Command& command);
// A request's payload (without its size prefix); nullopt when malformed.
std::optional<Command> DecodeCommand(std::string_view payload);

std::string EncodeRecord(char kind, std::string_view payload);
std::string EncodeExit(int exit_code, bool killed);
// kExit's payload; false when malformed.
bool DecodeExit(std::string_view payload, int* exit_code, bool* killed);

// Cuts a byte stream into records; pieces may end anywhere. Reuses its
// buffer: a command flooding its output costs no allocation per piece.
class RecordReader {
 public:
  void Feed(std::string_view data);
  // The next whole record, or nullopt until its bytes have come.
  std::optional<Record> Next();
  // The same without a copy: `payload` views the reader's buffer, valid
  // until the next Feed or Next. False until a whole record has come.
  bool NextView(char* kind, std::string_view* payload);
  // True when no partial record is waiting.
  bool Empty() const { return buffer_.size() == consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already handed out
};

}  // namespace cirque::agent

#endif  // CIRQUE_TEST_AGENT_EXEC_AGENT_PROTOCOL_H_
