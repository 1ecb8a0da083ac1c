#include "cirque_test/home/parallel_steps.h"

#include "cirque_test/util/error.h"

namespace cirque::home {

[[noreturn]] void ThrowAll(const std::string& what, std::vector<std::exception_ptr> failures) {
  if (failures.size() == 1) std::rethrow_exception(failures.front());
  std::string text;
  ErrorCode code = ErrorCode::kInternal;
  for (size_t i = 0; i < failures.size(); ++i) {
    try {
      std::rethrow_exception(failures[i]);
    } catch (const Error& error) {
      if (i == 0) code = error.code();
      text += std::string("\n  ") + error.what();
    } catch (const std::exception& error) {
      text += std::string("\n  ") + error.what();
    }
  }
  throw Error(code, what + ": " + std::to_string(failures.size()) + " failures:" + text);
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
