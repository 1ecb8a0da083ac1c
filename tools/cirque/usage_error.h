// What to say when a command is missing or unknown. CLI11 says only "A
// subcommand is required" for `cirque home frobnicate`; this names the
// word given and the commands there are.
//
// Thread safety: none needed (called once, from main).
#ifndef CIRQUE_TOOLS_CIRQUE_USAGE_ERROR_H_
#define CIRQUE_TOOLS_CIRQUE_USAGE_ERROR_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cirque::cli {

// Follows `args` (argv without the program) down `app`'s commands; where a
// command needs one of its own and the next word is not one (or there is
// none), returns "cirque home: 'frobnicate' is not a command; commands:
// create, list, ...". Returns "" when no command is missing.
std::string MissingCommandMessage(CLI::App& app, const std::vector<std::string>& args);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_USAGE_ERROR_H_
