// Covers reading the window list script's output and describing it.
#include "capabilities/xvnc/x_windows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cirque::capabilities {
namespace {

TEST(XWindowsTest, ParsesIdsMapStatesAndTitles) {
  std::vector<XWindow> windows = ParseWindowList(
      "0x400001 IsViewable 0x400001 \"Hello \"quoted\" world\"\n"
      "0x400007 IsUnMapped 0x400007 \"hidden\"\n"
      "0x200001 IsViewable 0x200001 (has no name)\n"
      "garbage line\n");
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].id, "0x400001");
  EXPECT_EQ(windows[0].title, "Hello \"quoted\" world");
  EXPECT_TRUE(windows[0].mapped);
  EXPECT_EQ(windows[1].title, "hidden");
  EXPECT_FALSE(windows[1].mapped);
  EXPECT_EQ(windows[2].title, "");
  EXPECT_TRUE(windows[2].mapped);
}

TEST(XWindowsTest, DescribesTitledWindowsAndCountsTheOthers) {
  EXPECT_EQ(DescribeWindows({}), "none");
  EXPECT_EQ(DescribeWindows({{"0x1", "a", true}, {"0x2", "b", false}, {"0x3", "", true}}),
            "'a' (mapped), 'b' (unmapped), 1 without a title");
  EXPECT_EQ(::testing::PrintToString(XWindow{"0x1", "a", true}), "'a' 0x1 (mapped)");
}

}  // namespace
}  // namespace cirque::capabilities
