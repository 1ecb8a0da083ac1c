// home_maker: a separate process that makes a home, for tests of what
// happens across processes. Prints one line per fact:
//   home <id>
//   subnet <ipv4 subnet>
//   node <name> <address>
//   pinged <from> <to>
// then destroys the home and exits 0, or, with --die, kills itself with
// SIGKILL while the home is up, leaving the reaper something to find.
//
// Usage: home_maker NAME NODE_COUNT [--lan-access] [--wifi] [--thread] [--xvnc] [--die]
//   --wifi    the home is a WiFi access point and NODE_COUNT stations instead
//   --thread  the nodes are Thread nodes: n0 forms a network, the others
//             join it, and the link n0 - n1 gets a loss (so the home has
//             every kind of Thread helper); prints "thread formed"
//   --xvnc    the nodes have X displays (Xvnc); prints
//             "display <node> <number>" for each
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "fixtures/cirque_environment.h"
#include "fixtures/ping.h"
#include "fixtures/thread_nodes.h"
#include "fixtures/wifi_nodes.h"
#include "fixtures/x_display_nodes.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: home_maker NAME NODE_COUNT [--lan-access] [--wifi] [--thread] [--xvnc] [--die]\n";
    return 2;
  }
  bool lan_access = false, die = false, wifi = false, thread = false, xvnc = false;
  for (int i = 3; i < argc; ++i) {
    lan_access = lan_access || std::strcmp(argv[i], "--lan-access") == 0;
    die = die || std::strcmp(argv[i], "--die") == 0;
    wifi = wifi || std::strcmp(argv[i], "--wifi") == 0;
    thread = thread || std::strcmp(argv[i], "--thread") == 0;
    xvnc = xvnc || std::strcmp(argv[i], "--xvnc") == 0;
  }
  try {
    cirque::runtime::Runtime& environment = cirque::testing::CirqueEnvironment::Get();
    std::vector<cirque::home::NodeSpec> nodes;
    if (wifi) nodes.push_back(cirque::testing::WifiAccessPointSpec("ap"));
    for (int i = 0; i < std::atoi(argv[2]); ++i) {
      auto spec = cirque::home::NodeSpec::Named("n" + std::to_string(i));
      if (lan_access && i == 0) spec.WithCapability("LanAccess");
      if (wifi) spec = cirque::testing::WifiStationSpec(spec.name);
      if (thread) spec = cirque::testing::ThreadNodeSpec(spec.name);
      if (xvnc) spec = cirque::testing::XvncNodeSpec(spec.name);
      nodes.push_back(spec);
    }
    auto home = cirque::home::VirtualHome::Create(environment.HomeOptionsFor(argv[1]), nodes);
    std::cout << "home " << home->id() << "\n";
    std::cout << "subnet " << home->Describe().networks.at("default") << "\n";
    for (const auto& name : home->NodeNames()) {
      std::cout << "node " << name << " " << home->node(name).ipv4_address() << "\n";
    }
    auto names = home->NodeNames();
    for (size_t i = 0; i < names.size() && xvnc; ++i) {
      cirque::testing::XvncNode display(home->node(names[i]));
      std::cout << "display " << names[i] << " " << display.display().number() << "\n";
    }
    if (thread) {
      cirque::testing::ThreadNode leader(home->node(names[0]));
      std::string dataset = leader.FormNetwork();
      for (size_t i = 1; i < names.size(); ++i) cirque::testing::ThreadNode(home->node(names[i])).JoinNetwork(dataset);
      if (names.size() > 1) {
        cirque::testing::ThreadNode second(home->node(names[1]));
        cirque::testing::SetThreadLinkLoss(leader, second, 0.5);
      }
      std::cout << "thread formed\n";
    }
    for (size_t i = 1; i < names.size() && !wifi && !thread && !xvnc; ++i) {
      auto result = cirque::testing::Ping(home->node(names[0]), home->node(names[i]));
      if (!result.ok()) {
        std::cerr << "home_maker: " << ::testing::PrintToString(result) << "\n";
        return 1;
      }
      std::cout << "pinged " << names[0] << " " << names[i] << "\n";
    }
    std::cout.flush();
    if (die) raise(SIGKILL);
    home->Destroy();
    return 0;
  } catch (const cirque::Error& error) {
    std::cerr << "home_maker: " << error.what() << "\n";
    return 1;
  }
}
