// Polls a condition in a node until it holds or a deadline passes: the one
// way WiFi code waits (no fixed sleeps).
#ifndef CIRQUE_CAPABILITIES_WIFI_WAIT_H_
#define CIRQUE_CAPABILITIES_WIFI_WAIT_H_

#include <chrono>
#include <functional>
#include <string>

namespace cirque::capabilities {

inline constexpr std::chrono::milliseconds kWifiPoll{100};

// Calls `done` every kWifiPoll until it returns true; returns false when
// `deadline` passed first. A probe that itself ran past its own deadline
// (Error kDeadlineExceeded, e.g. a slow exec on a loaded VM) counts as "not
// yet"; any other error propagates.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds deadline);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_WIFI_WAIT_H_
