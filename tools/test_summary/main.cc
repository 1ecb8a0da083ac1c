// test_summary: reads the build event file of one `bazel test` run and prints
// the per-case summary: failing cases by name, then the last line
// "N passed, N failed, N skipped".
//
// Usage: test_summary BUILD_EVENTS.json
// Exit status: 0 when nothing failed, 1 otherwise, 2 on bad input.
//
// A target whose report shows no failed case but whose status is not PASSED
// (it failed to build, timed out, or failed outside any case, e.g. in a
// global tear-down) counts as one failed case named after the target.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/test_summary/junit_counts.h"

namespace {

using cirque::tools::CaseCounts;
using Json = nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string PathFromUri(std::string uri) {
  const std::string kScheme = "file://";
  if (uri.rfind(kScheme, 0) == 0) uri.erase(0, kScheme.size());
  return uri;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: test_summary BUILD_EVENTS.json\n";
    return 2;
  }
  std::ifstream events(argv[1]);
  if (!events) {
    std::cerr << "test_summary: cannot read build events '" << argv[1] << "'\n";
    return 2;
  }
  // Per target: the last attempt's report and status.
  std::map<std::string, std::pair<std::string, std::string>> results;
  std::map<std::string, bool> built;  // target -> built successfully
  for (std::string line; std::getline(events, line);) {
    Json event = Json::parse(line, nullptr, false);
    if (!event.is_object() || !event.contains("id")) continue;
    const Json& id = event["id"];
    if (id.contains("testResult")) {
      std::string label = id["testResult"].value("label", "");
      std::string xml_path;
      for (const auto& output : event["testResult"].value("testActionOutput", Json::array())) {
        if (output.value("name", "") == "test.xml") xml_path = PathFromUri(output.value("uri", ""));
      }
      results[label] = {xml_path, event["testResult"].value("status", "")};
    } else if (id.contains("targetCompleted")) {
      std::string label = id["targetCompleted"].value("label", "");
      bool success = event.contains("completed") && event["completed"].value("success", false);
      built[label] = success;
    } else if (id.contains("targetConfigured") || id.contains("pattern")) {
      continue;
    }
  }
  CaseCounts total;
  for (const auto& [label, result] : results) {
    const auto& [xml_path, status] = result;
    CaseCounts counts = cirque::tools::CountJUnitCases(ReadFile(xml_path));
    if (status != "PASSED" && counts.failed == 0) {
      ++counts.failed;
      counts.failed_names.push_back(label + " (" + status + ")");
    }
    total += counts;
  }
  for (const auto& [label, success] : built) {
    if (!success && results.count(label) == 0) {
      ++total.failed;
      total.failed_names.push_back(label + " (failed to build)");
    }
  }
  for (const auto& name : total.failed_names) std::cout << "FAILED: " << name << "\n";
  std::cout << total.passed << " passed, " << total.failed << " failed, " << total.skipped
            << " skipped\n";
  return total.failed == 0 ? 0 : 1;
}
