// The probe script and its parsing, without an engine.
#include "cirque_test/engine/engine_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::engine {
namespace {

using ::testing::HasSubstr;

TEST(ProbeScriptTest, RunsEachQuestionAndNamesTheKernel) {
  std::string script = ProbeScript({{"always", "true"}, {"never", "false"}, {"noisy", "echo hi; exit 3"}});
  ProcessResult result = RunProcess({"sh", "-c", script});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EngineReport report = ParseProbeOutput("unix:///x", result.stdout_text);
  EXPECT_TRUE(report.Has("always"));
  EXPECT_FALSE(report.Has("never"));
  EXPECT_FALSE(report.Has("noisy"));
  EXPECT_FALSE(report.kernel_version.empty());
  EXPECT_EQ(report.Summary(), "always yes, never no, noisy no");
}

TEST(ProbeScriptTest, RefusesANameThatIsNotPlain) {
  try {
    ProbeScript({{"bad name'", "true"}});
    FAIL() << "accepted a quote in a probe name";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(error.what(), HasSubstr("'bad name''"));
  }
}

TEST(ParseProbeOutputTest, NoVerdictIsAnError) {
  EXPECT_THROW(ParseProbeOutput("unix:///x", "netem yes\n"), Error);
}

TEST(EngineReportTest, AFeatureNotProbedIsNamed) {
  EngineReport report = ParseProbeOutput("unix:///x", "tbf yes\nkernel 6.1\n");
  try {
    report.Has("hwsim");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("'hwsim' was not probed"));
    EXPECT_THAT(error.what(), HasSubstr("tbf yes"));
  }
}

}  // namespace
}  // namespace cirque::engine
