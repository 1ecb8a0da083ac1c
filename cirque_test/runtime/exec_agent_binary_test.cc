#include "cirque_test/runtime/exec_agent_binary.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cirque_test/util/runfile.h"

namespace cirque::runtime {
namespace {

std::string Read(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

TEST(ExecAgentBinaryTest, TheBuiltAgentIsStaticAndADynamicProgramIsNot) {
  const std::string agent = Read(FindCirqueRunfile("cirque_test/agent/cirque_exec_agent"));
  ASSERT_FALSE(agent.empty());
  // Under a sanitizer the agent is linked dynamically (//:asan).
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_TRUE(IsStaticElf(agent));
  ASSERT_NE(LoadExecAgent(), nullptr);
  EXPECT_EQ(*LoadExecAgent(), agent);
#endif
  EXPECT_FALSE(IsStaticElf(Read("/bin/sh"))) << "a dynamic program";
}

TEST(ExecAgentBinaryTest, WhatIsNotAnElfProgramIsNotUsed) {
  EXPECT_FALSE(IsStaticElf(""));
  EXPECT_FALSE(IsStaticElf("#!/bin/sh\necho not a program\n"));
  std::string truncated = "\x7f" "ELF";
  truncated += std::string(60, '\2');
  EXPECT_FALSE(IsStaticElf(truncated)) << "a program header table beyond the end";
}

TEST(ExecAgentBinaryTest, OffSwitchesItOff) {
  setenv("CIRQUE_EXEC_AGENT", "off", 1);
  EXPECT_EQ(LoadExecAgent(), nullptr);
  unsetenv("CIRQUE_EXEC_AGENT");
}

}  // namespace
}  // namespace cirque::runtime
