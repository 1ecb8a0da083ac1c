#include "capabilities/interactive.h"

namespace cirque::capabilities {

void Interactive::Configure(docker::ContainerSpec& container) {
  container.process.tty = true;
  container.process.stdin_open = true;
}

std::map<std::string, std::string> Interactive::Describe() const {
  return {{"tty", "true"}, {"stdin_open", "true"}};
}

}  // namespace cirque::capabilities
