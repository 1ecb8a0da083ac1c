// `cirque reap`: removes what dead runs left on the engine.
// `cirque features`: probes the engine's kernel; says whether Thread is on.
#ifndef CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

void AddReapCommand(CLI::App& app);

// `cirque features`: what the engine's kernel offers (lives here as the
// other engine-wide maintenance command).
void AddFeaturesCommand(CLI::App& app);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_REAP_COMMAND_H_
