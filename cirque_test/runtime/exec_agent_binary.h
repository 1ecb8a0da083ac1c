// The exec agent a runtime hands its homes (HomeOptions::exec_agent): the
// static //cirque_test/agent:cirque_exec_agent, found as cirque's other
// built tools are (capabilities/built_tool.h; $CIRQUE_EXEC_AGENT names
// another path, or "off" for docker exec only).
//
// Thread safety: plain functions.
#ifndef CIRQUE_TEST_RUNTIME_EXEC_AGENT_BINARY_H_
#define CIRQUE_TEST_RUNTIME_EXEC_AGENT_BINARY_H_

#include <memory>
#include <string>
#include <string_view>

namespace cirque::runtime {

// The agent's bytes, or null when there is none to use: switched off, not
// built, or not a static program (a sanitizer build links it dynamically,
// and a node's image has no sanitizer runtime to load it with). Never
// throws: without the agent, nodes run commands through docker exec.
std::shared_ptr<const std::string> LoadExecAgent();

// True when `program` is a 64-bit little-endian ELF executable with no
// program interpreter (statically linked).
bool IsStaticElf(std::string_view program);

}  // namespace cirque::runtime

#endif  // CIRQUE_TEST_RUNTIME_EXEC_AGENT_BINARY_H_
