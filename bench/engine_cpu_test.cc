// The /proc/stat line the CPU meter reads, parsed.
#include "bench/engine_cpu.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque::bench {
namespace {

TEST(ProcStatCpuLineTest, BusyIsEverythingButIdleAndIowait) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  CpuReading reading = ParseProcStatCpuLine("cpu  100 20 300 4000 50 6 7 8 900 10", 100);
  EXPECT_DOUBLE_EQ(reading.busy_s, (100 + 20 + 300 + 6 + 7 + 8) / 100.0);  // guest is within user
  EXPECT_DOUBLE_EQ(reading.idle_s, (4000 + 50) / 100.0);
}

TEST(ProcStatCpuLineTest, AnotherLineIsRefusedAndNamed) {
  for (const std::string line : {"cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 3", "intr 1 2 3 4 5 6 7 8", ""}) {
    try {
      ParseProcStatCpuLine(line, 100);
      ADD_FAILURE() << "accepted '" << line << "'";
    } catch (const Error& error) {
      EXPECT_THAT(error.what(), ::testing::HasSubstr("'" + line + "'"));
    }
  }
}

}  // namespace
}  // namespace cirque::bench
