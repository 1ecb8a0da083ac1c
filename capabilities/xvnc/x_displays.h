// The X displays of one home: a home-scoped resource (key "xvnc.displays")
// holding each Xvnc node's display (x_display.h), so they go with the home
// (after its nodes) and their screenshots are kept with its artifacts.
//
// Thread safety: every method may be called from several threads.
#ifndef CIRQUE_CAPABILITIES_XVNC_X_DISPLAYS_H_
#define CIRQUE_CAPABILITIES_XVNC_X_DISPLAYS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "capabilities/xvnc/x_display.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

class XDisplays : public home::HomeResource {
 public:
  static constexpr const char* kResourceKey = "xvnc.displays";

  // Keeps `display` as `node`'s; replaces (and removes) one it had.
  XDisplay& Add(const std::string& node, std::unique_ptr<XDisplay> display);
  // `node`'s display. Throws Error (kNotFound) when it has none.
  XDisplay& Of(const std::string& node);
  // Removes `node`'s display now (its node was removed). Unknown: ignored.
  void Remove(const std::string& node);

  // "display-<node>.png": a screenshot of each display; best effort.
  std::map<std::string, std::string> Artifacts() override;
  void Release() override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<XDisplay>> displays_;  // GUARDED_BY(mutex_)
};

// The home's displays, made on first use.
XDisplays& HomeXDisplays(home::HomeContext& home);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_X_DISPLAYS_H_
