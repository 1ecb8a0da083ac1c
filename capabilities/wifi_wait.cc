#include "capabilities/wifi_wait.h"

#include <thread>

namespace cirque::capabilities {

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(kWifiPoll);
  }
}

}  // namespace cirque::capabilities
