// Counts test cases in a gtest (JUnit) XML report: passed, failed, skipped.
//
// A pure function over the report's text, so it is tested without files.
#ifndef CIRQUE_TOOLS_TEST_SUMMARY_JUNIT_COUNTS_H_
#define CIRQUE_TOOLS_TEST_SUMMARY_JUNIT_COUNTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace cirque::tools {

struct CaseCounts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::vector<std::string> failed_names;  // "Suite.Case"

  CaseCounts& operator+=(const CaseCounts& other);
  int total() const { return passed + failed + skipped; }
};

// Reads every <testcase>: one with a <failure> or <error> child failed; one
// with result="skipped", status="notrun" or a <skipped> child was skipped;
// any other passed.
CaseCounts CountJUnitCases(std::string_view xml);

}  // namespace cirque::tools

#endif  // CIRQUE_TOOLS_TEST_SUMMARY_JUNIT_COUNTS_H_
