// `cirque home ...` and `cirque node ...`: homes and nodes through a cirque
// service's /v1 API (--server URL, default $CIRQUE_SERVER or
// http://127.0.0.1:5000; `cirque serve` starts one):
//
//   cirque home create SPEC.json      make a home from Cirque's {"node": {spec}} file
//   cirque home list | show ID | rm ID
//   cirque node add HOME SPEC.json    add the file's nodes to a running home
//   cirque node exec HOME NODE -- ARGV...   exits with the command's exit code
//   cirque node logs HOME NODE [--tail N]
//
// --json prints the service's JSON as is, for scripts. Errors print one line
// on stderr and exit 1.
#ifndef CIRQUE_TOOLS_CIRQUE_HOME_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_HOME_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

// `exit_code` receives what the process should exit with (node exec).
void AddHomeCommands(CLI::App& app, int& exit_code);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_HOME_COMMAND_H_
