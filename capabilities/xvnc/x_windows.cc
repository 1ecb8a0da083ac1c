#include "capabilities/xvnc/x_windows.h"

#include <sstream>

namespace cirque::capabilities {

// xwininfo -root -children prints the root's children as
//   "     0x400001 "title": ("res" "Class")  300x100+0+0  +0+0";
// each child's own xwininfo gives its map state and, on its "Window id"
// line, its title (or "(has no name)").
const char* const kListWindowsScript = R"sh(
set -e
display=$1
xwininfo -root -children -display "$display" | sed -n 's/^ *\(0x[0-9a-f]*\) .*/\1/p' | while read -r id; do
  info=$(xwininfo -id "$id" -display "$display" 2>/dev/null) || continue
  state=$(printf '%s\n' "$info" | sed -n 's/^ *Map State: *//p')
  line=$(printf '%s\n' "$info" | sed -n 's/^xwininfo: Window id: //p')
  printf '%s %s %s\n' "$id" "${state:-Unknown}" "$line"
done
)sh";

std::vector<XWindow> ParseWindowList(const std::string& text) {
  std::vector<XWindow> windows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    XWindow window;
    std::string state;
    if (!(fields >> window.id >> state) || window.id.rfind("0x", 0) != 0) continue;
    window.mapped = state == "IsViewable";
    // The rest: "0x400001 "title"" or "0x400001 (has no name)"; a title
    // may hold quotes, so it runs from the first quote to the last.
    size_t first = line.find('"');
    size_t last = line.rfind('"');
    if (first != std::string::npos && last > first) window.title = line.substr(first + 1, last - first - 1);
    windows.push_back(window);
  }
  return windows;
}

void PrintTo(const XWindow& window, std::ostream* out) {
  *out << (window.title.empty() ? "(no title)" : "'" + window.title + "'") << " " << window.id << " ("
       << (window.mapped ? "mapped" : "unmapped") << ")";
}

std::string DescribeWindows(const std::vector<XWindow>& windows) {
  std::string titled;
  int untitled = 0;
  for (const auto& window : windows) {
    if (window.title.empty()) {
      ++untitled;
      continue;
    }
    titled += (titled.empty() ? "" : ", ") + ("'" + window.title + "'") + (window.mapped ? " (mapped)" : " (unmapped)");
  }
  if (untitled > 0) {
    titled += (titled.empty() ? "" : ", ") + std::to_string(untitled) + " without a title";
  }
  return titled.empty() ? "none" : titled;
}

}  // namespace cirque::capabilities
