// Finding and reading the small static tools cirque builds with Bazel and
// copies into containers (hwsim_ctl for WiFi radios, cirque_thread_tty for
// Thread radios): from an environment variable, the test's runfiles, or
// the workspace's bazel-bin.
#ifndef CIRQUE_CAPABILITIES_BUILT_TOOL_H_
#define CIRQUE_CAPABILITIES_BUILT_TOOL_H_

#include <string>

namespace cirque::capabilities {

struct BuiltTool {
  const char* env_var;  // "CIRQUE_HWSIM_CTL": a path that overrides the search
  const char* path;     // "cirque_test/radio/hwsim_ctl": its path in the workspace
  const char* target;   // "//cirque_test/radio:hwsim_ctl": how to build it
};

// The tool's path, or "" when it is nowhere: $<env_var> when set, else the
// program's runfiles (the library that uses the tool lists it in `data`),
// else bazel-bin/<path> under the current directory or
// $BUILD_WORKSPACE_DIRECTORY.
std::string FindBuiltTool(const BuiltTool& tool);

// The tool's bytes. Throws Error (kFailedPrecondition) naming the path, the
// Bazel target that builds it and the variable that points at it.
std::string ReadBuiltTool(const BuiltTool& tool, const std::string& path);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_BUILT_TOOL_H_
