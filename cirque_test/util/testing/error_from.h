// For tests: the cirque::Error a call throws, so a test can check its code
// and message in plain EXPECTs.
#ifndef CIRQUE_TEST_UTIL_TESTING_ERROR_FROM_H_
#define CIRQUE_TEST_UTIL_TESTING_ERROR_FROM_H_

#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque {

// Runs `call` and returns the Error it throws; adds a test failure and
// returns a kInternal "none thrown" Error when it throws none.
template <typename Call>
Error ErrorFrom(Call call) {
  try {
    call();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected cirque::Error";
  return Error(ErrorCode::kInternal, "none thrown");
}

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_TESTING_ERROR_FROM_H_
