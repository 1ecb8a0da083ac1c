#include "capabilities/wifi_wait.h"

#include <thread>

#include "cirque_test/util/error.h"

namespace cirque::capabilities {

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    try {
      if (done()) return true;
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kDeadlineExceeded) throw;
    }
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(kWifiPoll);
  }
}

}  // namespace cirque::capabilities
