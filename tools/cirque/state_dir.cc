#include "tools/cirque/state_dir.h"

#include <unistd.h>

#include <cstdlib>

namespace cirque::cli {

std::string UserStateDir(const std::string& leaf) {
  std::string base;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/') {
    base = state;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    base = std::string(home) + "/.local/state";
  } else {
    base = "/tmp/cirque-state-" + std::to_string(getuid());
  }
  return base + "/cirque/" + leaf;
}

}  // namespace cirque::cli
