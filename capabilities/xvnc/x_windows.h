// The top-level windows of an X display, as a test sees them: read with
// xwininfo in one exec (kListWindowsScript) and parsed by a pure function.
#ifndef CIRQUE_CAPABILITIES_XVNC_X_WINDOWS_H_
#define CIRQUE_CAPABILITIES_XVNC_X_WINDOWS_H_

#include <ostream>
#include <string>
#include <vector>

namespace cirque::capabilities {

struct XWindow {
  std::string id;     // "0x400001"
  std::string title;  // WM_NAME; "" when the window has none
  bool mapped = false;  // viewable: mapped, and its parent too
};
void PrintTo(const XWindow& window, std::ostream* out);

// A shell script taking the display (":0") as $1: prints one line per child
// of the root window, "<id> <map state> <xwininfo's 'Window id' line>".
extern const char* const kListWindowsScript;

// Parses kListWindowsScript's output; lines it cannot read are skipped.
std::vector<XWindow> ParseWindowList(const std::string& text);

// "'a' (mapped), 'b' (unmapped), 1 without a title", or "none".
std::string DescribeWindows(const std::vector<XWindow>& windows);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_X_WINDOWS_H_
