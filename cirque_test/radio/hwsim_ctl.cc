// hwsim_ctl: makes and deletes mac80211_hwsim radios where it runs (copied
// into a helper container on the engine's host by cirque).
//
//   hwsim_ctl new NAME   prints "radio <id> <phy name>"
//   hwsim_ctl del ID
//   hwsim_ctl del-name NAME
//
// Exit status: 0 on success; 1 with a one-line reason otherwise; 2 on usage.
#include <cstdio>
#include <cstring>
#include <string>

#include "cirque_test/radio/hwsim_netlink.h"
#include "cirque_test/util/error.h"

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "new") != 0 && std::strcmp(argv[1], "del") != 0 &&
                    std::strcmp(argv[1], "del-name") != 0)) {
    std::fprintf(stderr, "usage: hwsim_ctl new NAME | hwsim_ctl del ID | hwsim_ctl del-name NAME\n");
    return 2;
  }
  try {
    if (std::strcmp(argv[1], "new") == 0) {
      int id = cirque::radio::CreateHwsimRadio(argv[2]);
      std::printf("radio %d %s\n", id, argv[2]);
    } else if (std::strcmp(argv[1], "del-name") == 0) {
      cirque::radio::DeleteHwsimRadioNamed(argv[2]);
      std::printf("deleted %s\n", argv[2]);
    } else {
      cirque::radio::DeleteHwsimRadio(std::stoi(argv[2]));
      std::printf("deleted %s\n", argv[2]);
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hwsim_ctl: %s\n", error.what());
    return 1;
  }
}
