// Creates and deletes mac80211_hwsim radios one at a time over generic
// netlink (family "MAC80211_HWSIM", commands NEW_RADIO and DEL_RADIO), as
// the kernel's hwsim driver offers, instead of `modprobe radios=N`.
//
// A radio belongs to the network namespace it was created from: hwsim only
// lets radios of the same namespace group hear each other.
//
// Runs where the radios are made (the engine's host, e.g. through a helper
// container with NET_ADMIN); needs nothing but the kernel.
#ifndef CIRQUE_TEST_RADIO_HWSIM_NETLINK_H_
#define CIRQUE_TEST_RADIO_HWSIM_NETLINK_H_

#include <cstdint>
#include <string>
#include <vector>

namespace cirque::radio {

// Values of the driver's generic netlink interface.
inline constexpr const char* kHwsimFamily = "MAC80211_HWSIM";
inline constexpr uint8_t kHwsimCmdNewRadio = 4;
inline constexpr uint8_t kHwsimCmdDelRadio = 5;
inline constexpr uint16_t kHwsimAttrChannels = 9;
inline constexpr uint16_t kHwsimAttrRadioId = 10;
inline constexpr uint16_t kHwsimAttrRegCustomReg = 12;
inline constexpr uint16_t kHwsimAttrRadioName = 17;

// Netlink message bytes (pure; tested without a kernel).
std::vector<uint8_t> FamilyLookupMessage(uint32_t sequence);
std::vector<uint8_t> NewRadioMessage(uint16_t family_id, uint32_t sequence, const std::string& name);
std::vector<uint8_t> DeleteRadioMessage(uint16_t family_id, uint32_t sequence, int radio_id);
std::vector<uint8_t> DeleteRadioByNameMessage(uint16_t family_id, uint32_t sequence, const std::string& name);
// The family id from a CTRL_CMD_NEWFAMILY answer, or 0.
uint16_t ParseFamilyId(const std::vector<uint8_t>& answer);

// Returns the new radio's id. Throws Error (kFailedPrecondition) when the
// kernel has no hwsim, Error with errno's text otherwise.
int CreateHwsimRadio(const std::string& name);
// Throws Error with errno's text when the kernel refuses.
void DeleteHwsimRadio(int radio_id);
// The same, by the radio's (wiphy's) name.
void DeleteHwsimRadioNamed(const std::string& name);

}  // namespace cirque::radio

#endif  // CIRQUE_TEST_RADIO_HWSIM_NETLINK_H_
