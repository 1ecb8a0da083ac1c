#include "service/shell_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Words = std::vector<std::string>;

struct Case {
  std::string line;
  Words words;  // as Python 3's shlex.split(line) gives them
};

class SplitShellWordsTest : public ::testing::TestWithParam<Case> {};

TEST_P(SplitShellWordsTest, SplitsAsShlexDoes) {
  EXPECT_EQ(SplitShellWords(GetParam().line), GetParam().words) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Shlex, SplitShellWordsTest,
    ::testing::Values(Case{"", {}}, Case{"   ", {}}, Case{"ls", {"ls"}}, Case{"ls  -l\t/tmp\n", {"ls", "-l", "/tmp"}},
                      Case{"bash -c 'echo a; echo b'", {"bash", "-c", "echo a; echo b"}},
                      Case{R"(sh -c "echo \"hi\" \$HOME \\")", {"sh", "-c", R"(echo "hi" \$HOME \)"}},
                      Case{R"(echo "a\nb")", {"echo", R"(a\nb)"}},  // \n is not an escape in "..."
                      Case{R"(echo 'a\'b)", {"echo", R"(a\b)"}},       // nothing escapes in '...'
                      Case{R"(echo a\ b)", {"echo", "a b"}}, Case{R"(echo \'x\')", {"echo", "'x'"}},
                      Case{"echo ''", {"echo", ""}}, Case{"echo \"\"x", {"echo", "x"}},
                      Case{"a'b'\"c\"d", {"abcd"}},
                      // Cirque cut commands at ? and #: here they are ordinary characters.
                      Case{"ot-ctl ping fd00::1 # comment?", {"ot-ctl", "ping", "fd00::1", "#", "comment?"}},
                      Case{"echo $(id) `id` ; rm -rf / | cat", {"echo", "$(id)", "`id`", ";", "rm", "-rf", "/", "|", "cat"}},
                      Case{"line\\\ncontinued", {"line\ncontinued"}}));

TEST(SplitShellWordsErrorsTest, UnclosedQuotesAndTrailingBackslashNameTheFieldAndTheFix) {
  for (const char* line : {"echo 'abc", "echo \"abc", "echo abc\\", "sh -c \"a\\\""}) {
    try {
      SplitShellWords(line, "cmd");
      ADD_FAILURE() << "no error for " << line;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
      EXPECT_THAT(error.what(), HasSubstr("cmd '"));
      EXPECT_THAT(error.what(), HasSubstr(line));
      EXPECT_THAT(error.what(), HasSubstr("fix:"));
    }
  }
}

}  // namespace
}  // namespace cirque::service
