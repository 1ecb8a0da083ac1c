#include "cirque_test/runtime/exec_agent_binary.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "capabilities/built_tool.h"

namespace cirque::runtime {
namespace {

constexpr capabilities::BuiltTool kExecAgent = {"CIRQUE_EXEC_AGENT", "cirque_test/agent/cirque_exec_agent",
                                                "//cirque_test/agent:cirque_exec_agent"};

uint64_t LittleEndian(std::string_view bytes, size_t offset, size_t size) {
  uint64_t value = 0;
  for (size_t i = size; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

}  // namespace

bool IsStaticElf(std::string_view program) {
  // ELF64 header: magic, class 2 (64-bit), data 1 (little-endian); e_phoff
  // at 0x20, e_phentsize at 0x36, e_phnum at 0x38. PT_INTERP is type 3.
  constexpr uint64_t kProgramInterpreter = 3;
  if (program.size() < 64 || program.substr(0, 4) != "\x7f" "ELF" || program[4] != 2 || program[5] != 1) {
    return false;
  }
  const uint64_t table = LittleEndian(program, 0x20, 8);
  const uint64_t entry_size = LittleEndian(program, 0x36, 2);
  const uint64_t entries = LittleEndian(program, 0x38, 2);
  if (entry_size < 4 || table > program.size() || entries * entry_size > program.size() - table) return false;
  for (uint64_t i = 0; i < entries; ++i) {
    if (LittleEndian(program, table + i * entry_size, 4) == kProgramInterpreter) return false;
  }
  return true;
}

std::shared_ptr<const std::string> LoadExecAgent() {
  if (const char* setting = std::getenv(kExecAgent.env_var); setting != nullptr && std::string(setting) == "off") {
    return nullptr;
  }
  std::string path = capabilities::FindBuiltTool(kExecAgent);
  if (path.empty()) return nullptr;
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  if (!IsStaticElf(content.str())) return nullptr;
  return std::make_shared<const std::string>(content.str());
}

}  // namespace cirque::runtime
