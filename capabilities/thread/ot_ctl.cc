#include "capabilities/thread/ot_ctl.h"

#include <sstream>

namespace cirque::capabilities {

OtCtlReply ParseOtCtlReply(const std::string& output) {
  OtCtlReply reply;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    if (line == "Done") {
      reply.done = true;
      continue;
    }
    if (line.rfind("Error ", 0) == 0) {
      reply.error = line;
      continue;
    }
    // ot-ctl echoes a prompt on some builds: "> state".
    if (line.rfind("> ", 0) == 0) line = line.substr(2);
    if (line == ">") continue;
    reply.lines.push_back(line);
  }
  return reply;
}

bool IsThreadRole(const std::string& word) {
  return word == "disabled" || word == "detached" || word == "child" || word == "router" || word == "leader";
}

}  // namespace cirque::capabilities
