// `cirque reap`: removes what dead runs left on the engine.
#ifndef CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

void AddReapCommand(CLI::App& app);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_
