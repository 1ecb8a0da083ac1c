// Reading what `ot-ctl` prints: OpenThread's CLI answers a command with
// its output lines, then "Done", or with "Error <code>: <message>"; lines
// end in "\r\n".
//
// Pure functions; thread-compatible.
#ifndef CIRQUE_CAPABILITIES_THREAD_OT_CTL_H_
#define CIRQUE_CAPABILITIES_THREAD_OT_CTL_H_

#include <string>
#include <vector>

namespace cirque::capabilities {

struct OtCtlReply {
  std::vector<std::string> lines;  // output before Done/Error, without "\r", empty lines dropped
  bool done = false;               // ended with "Done"
  std::string error;               // "Error 7: InvalidArgs" when it ended with one; else ""
};

OtCtlReply ParseOtCtlReply(const std::string& output);

// The Thread device roles OpenThread reports, in the order a node passes
// through them: disabled, detached, child, router, leader.
bool IsThreadRole(const std::string& word);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_OT_CTL_H_
