#include "cirque_test/images/apt_mirror.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cirque_test/util/error.h"

namespace cirque::images {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::istringstream stream{std::string(text)};
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

bool Contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::string ValueAfter(const std::string& line, std::string_view key) {
  return line.size() > key.size() ? line.substr(key.size()) : "";
}

}  // namespace

std::string MirrorFromAptSources(std::string_view text, std::string_view suite) {
  std::istringstream lines{std::string(text)};
  std::vector<std::string> uris, suites;
  bool enabled = true;
  auto stanza_match = [&]() -> std::string {
    if (enabled && !uris.empty() && Contains(suites, suite)) return uris.front();
    return "";
  };
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.find_first_not_of(" \t") == std::string::npos) {
      if (std::string found = stanza_match(); !found.empty()) return found;
      uris.clear();
      suites.clear();
      enabled = true;
      continue;
    }
    if (line[0] == '#') continue;
    if (line.rfind("URIs:", 0) == 0) uris = Words(ValueAfter(line, "URIs:"));
    if (line.rfind("Suites:", 0) == 0) suites = Words(ValueAfter(line, "Suites:"));
    if (line.rfind("Enabled:", 0) == 0) enabled = Words(ValueAfter(line, "Enabled:")) != std::vector<std::string>{"no"};
    if (line.rfind("deb ", 0) == 0) {
      std::vector<std::string> words = Words(line);
      size_t at = 1;
      if (at < words.size() && words[at].front() == '[') {  // [ options ]
        while (at < words.size() && words[at].back() != ']') ++at;
        ++at;
      }
      if (at + 1 < words.size() && words[at + 1] == suite) return words[at];
    }
  }
  return stanza_match();
}

std::string HostAptMirror(std::string_view suite) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/etc/apt/sources.list.d", ignored)) {
    if (entry.path().extension() == ".sources") files.push_back(entry.path());
  }
  files.push_back("/etc/apt/sources.list");
  for (const auto& entry : fs::directory_iterator("/etc/apt/sources.list.d", ignored)) {
    if (entry.path().extension() == ".list") files.push_back(entry.path());
  }
  std::string read;
  for (const auto& file : files) {
    std::ifstream stream(file);
    if (!stream) continue;
    std::stringstream text;
    text << stream.rdbuf();
    read += (read.empty() ? "" : ", ") + file.string();
    if (std::string mirror = MirrorFromAptSources(text.str(), suite); !mirror.empty()) {
      return mirror;
    }
  }
  throw Error(ErrorCode::kFailedPrecondition,
              "no apt source for suite '" + std::string(suite) + "' in " +
                  (read.empty() ? "/etc/apt (no source files)" : read) +
                  "; add one, or pass --rootfs-image debian:bookworm-slim where a registry is reachable");
}

}  // namespace cirque::images
