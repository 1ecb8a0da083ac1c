// test_summary: reads the build event file of one `bazel test` run and prints
// the per-case summary: failing cases by name, then the last line
// "N passed, N failed, N skipped".
//
// Usage: test_summary [--failed NAME]... [BUILD_EVENTS.json...]
//   Several event files (one per tier) add up; each gets a line of its own
//   before the total. --failed counts a failure that happened outside Bazel
//   (a VM that did not come up, a fuzz finding), by name. With no event
//   file (tools/test --tier fuzz), only those count.
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

namespace {

// Counts the cases of one `bazel test` run's build events.
bool CountEvents(const std::string& path, CaseCounts& total) {
  std::ifstream events(path);
  if (!events) {
    std::cerr << "test_summary: cannot read build events '" << path << "'\n";
    return false;
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
      built[label] = event.contains("completed") && event["completed"].value("success", false);
    }
  }
  CaseCounts counts;
  for (const auto& [label, result] : results) {
    const auto& [xml_path, status] = result;
    CaseCounts target = cirque::tools::CountJUnitCases(ReadFile(xml_path));
    if (status != "PASSED" && target.failed == 0) {
      ++target.failed;
      target.failed_names.push_back(label + " (" + status + ")");
    }
    counts += target;
  }
  for (const auto& [label, success] : built) {
    if (!success && results.count(label) == 0) {
      ++counts.failed;
      counts.failed_names.push_back(label + " (failed to build)");
    }
  }
  std::cout << "test_summary: " << path << ": " << counts.passed << " passed, " << counts.failed
            << " failed, " << counts.skipped << " skipped\n";
  total += counts;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CaseCounts total;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--failed" && i + 1 < argc) {
      ++total.failed;
      total.failed_names.push_back(argv[++i]);
    } else {
      files.push_back(argument);
    }
  }
  for (const auto& file : files) {
    if (!CountEvents(file, total)) return 2;
  }
  for (const auto& name : total.failed_names) std::cout << "FAILED: " << name << "\n";
  std::cout << total.passed << " passed, " << total.failed << " failed, " << total.skipped
            << " skipped\n";
  return total.failed == 0 ? 0 : 1;
}
