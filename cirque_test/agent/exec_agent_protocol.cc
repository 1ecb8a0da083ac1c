#include "cirque_test/agent/exec_agent_protocol.h"

namespace cirque::agent {

void AppendU32(std::string& out, uint32_t value) {
  out.push_back(static_cast<char>((value >> 24) & 0xff));
  out.push_back(static_cast<char>((value >> 16) & 0xff));
  out.push_back(static_cast<char>((value >> 8) & 0xff));
  out.push_back(static_cast<char>(value & 0xff));
}

uint32_t ReadU32(std::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::string EncodeCommand(const Command& command) {
  std::string payload;
  AppendU32(payload, command.deadline_ms);
  AppendU32(payload, static_cast<uint32_t>(command.argv.size()));
  for (const auto& arg : command.argv) {
    if (arg.size() > kMaxRequestBytes) return "";
    AppendU32(payload, static_cast<uint32_t>(arg.size()));
    payload += arg;
    if (payload.size() > kMaxRequestBytes) return "";
  }
  std::string request;
  AppendU32(request, static_cast<uint32_t>(payload.size()));
  return request + payload;
}

std::optional<Command> DecodeCommand(std::string_view payload) {
  if (payload.size() < 8) return std::nullopt;
  Command command;
  command.deadline_ms = ReadU32(payload);
  uint32_t argc = ReadU32(payload.substr(4));
  payload.remove_prefix(8);
  // Each argument takes at least its 4-byte size.
  if (argc == 0 || argc > payload.size() / 4) return std::nullopt;
  for (uint32_t i = 0; i < argc; ++i) {
    if (payload.size() < 4) return std::nullopt;
    uint32_t size = ReadU32(payload);
    payload.remove_prefix(4);
    if (size > payload.size()) return std::nullopt;
    std::string arg(payload.substr(0, size));
    // execvp takes C strings: an argument with a NUL cannot be passed whole.
    if (arg.find('\0') != std::string::npos) return std::nullopt;
    command.argv.push_back(std::move(arg));
    payload.remove_prefix(size);
  }
  if (!payload.empty()) return std::nullopt;
  return command;
}

std::string EncodeRecord(char kind, std::string_view payload) {
  std::string record(1, kind);
  AppendU32(record, static_cast<uint32_t>(payload.size()));
  record.append(payload);
  return record;
}

std::string EncodeExit(int exit_code, bool killed) {
  std::string payload;
  AppendU32(payload, static_cast<uint32_t>(exit_code));
  payload.push_back(killed ? 1 : 0);
  return EncodeRecord(kExit, payload);
}

bool DecodeExit(std::string_view payload, int* exit_code, bool* killed) {
  if (payload.size() != 5) return false;
  *exit_code = static_cast<int>(ReadU32(payload));
  *killed = payload[4] != 0;
  return true;
}

void RecordReader::Feed(std::string_view data) {
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);  // keeps the capacity
    consumed_ = 0;
  }
  buffer_.append(data);
}

bool RecordReader::NextView(char* kind, std::string_view* payload) {
  std::string_view left = std::string_view(buffer_).substr(consumed_);
  if (left.size() < 5) return false;
  uint32_t size = ReadU32(left.substr(1));
  if (left.size() < 5 + static_cast<size_t>(size)) return false;
  *kind = left[0];
  *payload = left.substr(5, size);
  consumed_ += 5 + static_cast<size_t>(size);
  return true;
}

std::optional<Record> RecordReader::Next() {
  char kind = 0;
  std::string_view payload;
  if (!NextView(&kind, &payload)) return std::nullopt;
  return Record{kind, std::string(payload)};
}

}  // namespace cirque::agent
