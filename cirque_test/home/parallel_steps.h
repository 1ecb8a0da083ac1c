// Steps a home runs in parallel (one std::async per node or resource), and
// how their failures become one Error. Internal to the home model.
#ifndef CIRQUE_TEST_HOME_PARALLEL_STEPS_H_
#define CIRQUE_TEST_HOME_PARALLEL_STEPS_H_

#include <exception>
#include <future>
#include <string>
#include <vector>

namespace cirque::home {

// Waits for every step; the failures, in the steps' order.
std::vector<std::exception_ptr> JoinSteps(std::vector<std::future<void>>& steps);

// One failure as it was; several as one Error (with the first one's code)
// naming each after `what`, so no node's reason is lost: an
// UnmetRequirementError with every missing name when each failure is one.
[[noreturn]] void ThrowAll(const std::string& what, std::vector<std::exception_ptr> failures);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_PARALLEL_STEPS_H_
