// Covers how display numbers are named, tried and recognised as taken.
#include "capabilities/xvnc/display_allocation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/xvnc/xvnc_settings.h"

namespace cirque::capabilities {
namespace {

TEST(DisplayAllocationTest, HelperNamesRoundTrip) {
  EXPECT_EQ(DisplayHelperName(12), "cirque-display-12");
  EXPECT_EQ(DisplayNumberOfHelper("cirque-display-12"), 12);
  EXPECT_EQ(DisplayNumberOfHelper("cirque-display-"), std::nullopt);
  EXPECT_EQ(DisplayNumberOfHelper("cirque-display-0"), std::nullopt);
  EXPECT_EQ(DisplayNumberOfHelper("cirque-display-1x"), std::nullopt);
  EXPECT_EQ(DisplayNumberOfHelper("cirque-display-99999"), std::nullopt);
  EXPECT_EQ(DisplayNumberOfHelper("other-1"), std::nullopt);
}

TEST(DisplayAllocationTest, AnAskedNumberIsTheOnlyCandidate) {
  EXPECT_THAT(DisplayCandidates(9), ::testing::ElementsAre(9));
  std::vector<int> any = DisplayCandidates(0);
  ASSERT_EQ(any.size(), static_cast<size_t>(kMaxDisplayId));
  EXPECT_EQ(any.front(), 1);
  EXPECT_EQ(any.back(), kMaxDisplayId);
}

TEST(DisplayAllocationTest, RecognisesTheEnginesPortErrors) {
  EXPECT_TRUE(IsPortTaken("driver failed programming external connectivity on endpoint cirque-display-1: "
                          "Bind for 127.0.0.1:5901 failed: port is already allocated"));
  EXPECT_TRUE(IsPortTaken("Error starting userland proxy: listen tcp4 0.0.0.0:5901: bind: address already in use"));
  EXPECT_FALSE(IsPortTaken("No such image: cirque/xvnc:abc"));
}

}  // namespace
}  // namespace cirque::capabilities
