// Covers simulated radios on the engine's host (VM tier): a radio is made
// over generic netlink by a helper container on the engine's host, appears
// as a wiphy there, and is deleted.
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capabilities/wifi_radio_medium.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/tar_archive.h"
#include "fixtures/assertions.h"
#include "fixtures/cirque_environment.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

TEST(HwsimRadioTest, MakesAndDeletesARadioOnTheEngine) {
  runtime::Runtime& environment = CirqueEnvironment::Get();
  const std::string helper = environment.ResolveImage("generic");
  engine::EngineReport engine = environment.ProbeEngine({capabilities::HwsimRequirement()});
  if (!engine.Has("hwsim")) {
    GTEST_SKIP() << "the engine's kernel (" << engine.kernel_version << ") has no mac80211_hwsim; "
                 << capabilities::HwsimRequirement().fix;
  }
  home::HostAgent agent(environment.client(), helper, "hwsim-" + home::NewId());
  TarWriter tar;
  tar.AddFile("hwsim_ctl", ReadFile("cirque_test/radio/hwsim_ctl"), 0755);
  environment.client().CopyToContainer(agent.container_id(), "/usr/local/bin", tar.Finish());

  const std::string name = "cq" + home::NewId().substr(0, 8);
  docker::ExecResult made = agent.Exec({"hwsim_ctl", "new", name});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  EXPECT_THAT(made.stdout_text, HasSubstr(name));
  int radio_id = std::stoi(made.stdout_text.substr(6));
  EXPECT_EQ(agent.Exec({"test", "-d", "/sys/class/ieee80211/" + name}).exit_code, 0);
  EXPECT_EQ(agent.Exec({"test", "-d", "/sys/class/mac80211_hwsim/hwsim" + std::to_string(radio_id)}).exit_code, 0);

  docker::ExecResult deleted = agent.Exec({"hwsim_ctl", "del", std::to_string(radio_id)});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_NE(agent.Exec({"test", "-d", "/sys/class/ieee80211/" + name}).exit_code, 0);
  docker::ExecResult again = agent.Exec({"hwsim_ctl", "del", std::to_string(radio_id)});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.stderr_text, HasSubstr("deleting radio"));
}

}  // namespace
}  // namespace cirque::testing
