#include "capabilities/built_tool.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cirque_test/util/error.h"
#include "cirque_test/util/runfile.h"

namespace cirque::capabilities {

std::string FindBuiltTool(const BuiltTool& tool) {
  if (const char* path = std::getenv(tool.env_var); path != nullptr && *path != '\0') return path;
  if (std::string path = FindCirqueRunfile(tool.path); !path.empty()) return path;
  std::vector<std::string> candidates = {tool.path, std::string("bazel-bin/") + tool.path};
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY"); workspace != nullptr) {
    candidates.push_back(std::string(workspace) + "/bazel-bin/" + tool.path);
  }
  for (const auto& candidate : candidates) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  return "";
}

std::string ReadBuiltTool(const BuiltTool& tool, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  if (path.empty() || content.str().empty()) {
    throw Error(ErrorCode::kFailedPrecondition, std::string("the tool ") + tool.path + " is missing" +
                                                    (path.empty() ? "" : " at '" + path + "'") +
                                                    "; build it (bazel build " + tool.target + ") or set " +
                                                    tool.env_var);
  }
  return content.str();
}

}  // namespace cirque::capabilities
