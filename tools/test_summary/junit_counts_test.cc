// Covers counting gtest XML: passes, failures, skips, disabled tests and the
// report Bazel writes for a binary that crashed.
#include "tools/test_summary/junit_counts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::tools {
namespace {

TEST(CountJUnitCasesTest, CountsPassFailSkip) {
  const char* xml = R"(<testsuites><testsuite name="S">
    <testcase name="A" status="run" result="completed" classname="S" />
    <testcase name="B" status="run" result="completed" classname="S">
      <failure message="boom" type=""><![CDATA[x.cc:1]]></failure>
    </testcase>
    <testcase name="C" status="run" result="skipped" classname="S">
      <skipped message="no hwsim"/>
    </testcase>
    <testcase name="DISABLED_D" status="notrun" result="suppressed" classname="S" />
  </testsuite></testsuites>)";
  CaseCounts counts = CountJUnitCases(xml);
  EXPECT_EQ(counts.passed, 1);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.skipped, 2);
  EXPECT_THAT(counts.failed_names, ::testing::ElementsAre("S.B"));
}

TEST(CountJUnitCasesTest, CountsBazelsReportForACrashedBinary) {
  const char* xml = R"(<testsuites><testsuite name="tests/x" tests="1" failures="0" errors="1">
    <testcase name="tests/x" status="run" duration="1" time="1"><error message="exited with error code 134"></error></testcase>
  </testsuite></testsuites>)";
  CaseCounts counts = CountJUnitCases(xml);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.passed, 0);
}

TEST(CountJUnitCasesTest, EmptyReportHasNoCases) {
  EXPECT_EQ(CountJUnitCases("<testsuites/>").total(), 0);
}

}  // namespace
}  // namespace cirque::tools
