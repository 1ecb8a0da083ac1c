// Finding the files cirque ships as Bazel runfiles (node image definitions,
// the tools it copies into containers), the same way in cirque's own
// workspace and in any workspace that depends on cirque as @cirque.
//
// A file of cirque's is in a program's runfiles when a target the program
// depends on lists it in `data` (cirque's libraries list what they read).
// Its runfiles path is "cirque/<path in cirque's tree>" in both cases: the
// main workspace is named "cirque", and an external repository's runfiles
// are under its repository name. So a user's workspace must name the
// repository "cirque" (as the README's lines do).
#ifndef CIRQUE_TEST_UTIL_RUNFILE_H_
#define CIRQUE_TEST_UTIL_RUNFILE_H_

#include <string>

namespace cirque {

// The name cirque's repository must have in a workspace that uses it.
inline constexpr const char* kCirqueRepositoryName = "cirque";

// The path of cirque's file `path` (relative to cirque's root, e.g.
// "images/base/Dockerfile") in the running program's runfiles, or "" when
// the program has no runfiles (not built by Bazel) or they lack the file.
// Looks in a test's runfiles ($TEST_SRCDIR), then in those named by
// $RUNFILES_MANIFEST_FILE or $RUNFILES_DIR, then beside the program's own
// executable (<exe>.runfiles). Thread-safe; never throws.
std::string FindCirqueRunfile(const std::string& path);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_RUNFILE_H_
