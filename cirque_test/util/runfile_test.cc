// FindCirqueRunfile: finds a file this test lists in `data`, and answers ""
// for one it does not.
#include "cirque_test/util/runfile.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace cirque {
namespace {

TEST(FindCirqueRunfileTest, FindsADataDependency) {
  std::string found = FindCirqueRunfile("cirque_test/util/runfile.h");
  ASSERT_NE(found, "");
  EXPECT_TRUE(std::filesystem::is_regular_file(found)) << found;
}

TEST(FindCirqueRunfileTest, AnswersEmptyForAFileNotInRunfiles) {
  EXPECT_EQ(FindCirqueRunfile("cirque_test/util/no_such_file"), "");
}

}  // namespace
}  // namespace cirque
