// Where the cirque commands keep state that names their homes across runs
// (a service's, the CLI's): ${XDG_STATE_HOME:-~/.local/state}/cirque/<leaf>,
// or /tmp/cirque-state-<uid>/cirque/<leaf> without a home folder.
#ifndef CIRQUE_TOOLS_CIRQUE_STATE_DIR_H_
#define CIRQUE_TOOLS_CIRQUE_STATE_DIR_H_

#include <string>

namespace cirque::cli {

std::string UserStateDir(const std::string& leaf);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_STATE_DIR_H_
