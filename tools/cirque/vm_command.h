// `cirque vm up|down|status`: the VM backend's Docker engine.
#ifndef CIRQUE_TOOLS_CIRQUE_VM_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_VM_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

void AddVmCommand(CLI::App& app);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_VM_COMMAND_H_
