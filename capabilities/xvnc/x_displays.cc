#include "capabilities/xvnc/x_displays.h"

#include "cirque_test/util/error.h"

namespace cirque::capabilities {

XDisplay& XDisplays::Add(const std::string& node, std::unique_ptr<XDisplay> display) {
  std::unique_ptr<XDisplay> replaced;
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = displays_[node];
  replaced = std::move(slot);  // removed after the lock is released
  slot = std::move(display);
  return *slot;
}

XDisplay& XDisplays::Of(const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = displays_.find(node);
  if (found == displays_.end()) throw Error(ErrorCode::kNotFound, "node '" + node + "' has no X display");
  return *found->second;
}

void XDisplays::Remove(const std::string& node) {
  std::unique_ptr<XDisplay> removed;
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = displays_.find(node);
  if (found == displays_.end()) return;
  removed = std::move(found->second);
  displays_.erase(found);
}

std::map<std::string, std::string> XDisplays::Artifacts() {
  std::map<std::string, std::string> screenshots;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [node, display] : displays_) {
    try {
      screenshots["display-" + node + ".png"] = display->Screenshot();
    } catch (const std::exception& error) {
      screenshots["display-" + node + ".txt"] = std::string("no screenshot: ") + error.what() + "\n";
    }
  }
  return screenshots;
}

void XDisplays::Release() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [node, display] : displays_) display->Release();
}

XDisplays& HomeXDisplays(home::HomeContext& home) {
  return home.Resource<XDisplays>(XDisplays::kResourceKey, [] { return std::make_unique<XDisplays>(); });
}

}  // namespace cirque::capabilities
