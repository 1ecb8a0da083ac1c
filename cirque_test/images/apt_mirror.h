// Finds the Debian mirror this host's apt uses, so images are built from the
// same mirror without naming any host in the code.
#ifndef CIRQUE_TEST_IMAGES_APT_MIRROR_H_
#define CIRQUE_TEST_IMAGES_APT_MIRROR_H_

#include <string>
#include <string_view>

namespace cirque::images {

// The first URI serving `suite` in apt sources text: deb822 ("URIs:" and
// "Suites:" in one stanza, as in *.sources) or one-line ("deb URI suite ...",
// as in sources.list). Returns "" when there is none.
std::string MirrorFromAptSources(std::string_view text, std::string_view suite);

// Looks through /etc/apt/sources.list.d/*.sources, then sources.list and
// *.list. Throws Error (kFailedPrecondition) naming the files read when no
// source serves `suite`.
std::string HostAptMirror(std::string_view suite = "bookworm");

}  // namespace cirque::images

#endif  // CIRQUE_TEST_IMAGES_APT_MIRROR_H_
