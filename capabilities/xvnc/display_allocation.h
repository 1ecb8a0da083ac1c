// How X display numbers are shared out among everything that uses one
// engine: several homes of one process, several processes, several hosts.
//
// A display N is held by the helper container named DisplayHelperName(N)
// ("cirque-display-N"), whose Xvnc is published on the engine's host at
// port 5900 + N. Taking a display is creating that container: the engine
// refuses a second container of one name (409) atomically, whoever asks,
// so two homes can never both hold N, with no lock or file of ours and
// nothing to clean up but the container, which carries the home's labels
// (the reaper removes it when the run that made it died). A display whose
// port something else on the engine's host holds (a host Xvnc on 5901)
// fails at start with "port is already allocated" or "address already in
// use": the helper is removed and the next number tried. A number is free
// again once its container is removed with its home.
//
// Pure functions; the allocation loop is XDisplay::Start (x_display.h).
#ifndef CIRQUE_CAPABILITIES_XVNC_DISPLAY_ALLOCATION_H_
#define CIRQUE_CAPABILITIES_XVNC_DISPLAY_ALLOCATION_H_

#include <optional>
#include <string>
#include <vector>

namespace cirque::capabilities {

// "cirque-display-<number>".
std::string DisplayHelperName(int number);
// The number in a name made by DisplayHelperName, or nothing.
std::optional<int> DisplayNumberOfHelper(const std::string& container_name);

// The numbers to try, in order: `asked` alone when it is not 0, else
// 1..kMaxDisplayId.
std::vector<int> DisplayCandidates(int asked);

// Whether a start error says the published port is taken on the engine's
// host (by a container or by a host process).
bool IsPortTaken(const std::string& engine_message);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_XVNC_DISPLAY_ALLOCATION_H_
