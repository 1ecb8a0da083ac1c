#include "cirque_test/home/parallel_steps.h"

#include <algorithm>

#include "cirque_test/home/requirement.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

[[noreturn]] void ThrowAll(const std::string& what, std::vector<std::exception_ptr> failures) {
  if (failures.size() == 1) std::rethrow_exception(failures.front());
  std::string text;
  ErrorCode code = ErrorCode::kInternal;
  bool all_unmet = true;
  std::vector<std::string> missing;
  for (size_t i = 0; i < failures.size(); ++i) {
    try {
      std::rethrow_exception(failures[i]);
    } catch (const UnmetRequirementError& error) {
      if (i == 0) code = error.code();
      text += std::string("\n  ") + error.what();
      for (const auto& name : error.missing()) {
        if (std::find(missing.begin(), missing.end(), name) == missing.end()) missing.push_back(name);
      }
    } catch (const Error& error) {
      if (i == 0) code = error.code();
      text += std::string("\n  ") + error.what();
      all_unmet = false;
    } catch (const std::exception& error) {
      text += std::string("\n  ") + error.what();
      all_unmet = false;
    }
  }
  std::string message = what + ": " + std::to_string(failures.size()) + " failures:" + text;
  // Several nodes missing what the engine lacks is still that: a test
  // skips on it (GTEST_SKIP names the fix) instead of failing.
  if (all_unmet) throw UnmetRequirementError(message, missing);
  throw Error(code, message);
}

std::vector<std::exception_ptr> JoinSteps(std::vector<std::future<void>>& steps) {
  std::vector<std::exception_ptr> failures;
  for (auto& item : steps) {
    try {
      item.get();
    } catch (...) {
      failures.push_back(std::current_exception());
    }
  }
  return failures;
}

}  // namespace cirque::home
