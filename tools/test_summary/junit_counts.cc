#include "tools/test_summary/junit_counts.h"

namespace cirque::tools {
namespace {

// The value of attribute `name` in the tag text `tag`, or "".
std::string Attribute(std::string_view tag, std::string_view name) {
  std::string key = " " + std::string(name) + "=\"";
  size_t start = tag.find(key);
  if (start == std::string_view::npos) return "";
  start += key.size();
  size_t end = tag.find('"', start);
  return std::string(tag.substr(start, end - start));
}

}  // namespace

CaseCounts& CaseCounts::operator+=(const CaseCounts& other) {
  passed += other.passed;
  failed += other.failed;
  skipped += other.skipped;
  failed_names.insert(failed_names.end(), other.failed_names.begin(), other.failed_names.end());
  return *this;
}

CaseCounts CountJUnitCases(std::string_view xml) {
  CaseCounts counts;
  size_t pos = 0;
  while ((pos = xml.find("<testcase", pos)) != std::string_view::npos) {
    size_t tag_end = xml.find('>', pos);
    if (tag_end == std::string_view::npos) break;
    std::string_view tag = xml.substr(pos, tag_end - pos);
    bool self_closing = tag.back() == '/';
    std::string_view body;
    if (!self_closing) {
      size_t close = xml.find("</testcase>", tag_end);
      body = xml.substr(tag_end, close == std::string_view::npos ? std::string_view::npos
                                                                 : close - tag_end);
    }
    std::string name = Attribute(tag, "classname");
    name += (name.empty() ? "" : ".") + Attribute(tag, "name");
    if (body.find("<failure") != std::string_view::npos ||
        body.find("<error") != std::string_view::npos) {
      ++counts.failed;
      counts.failed_names.push_back(name);
    } else if (Attribute(tag, "result") == "skipped" || Attribute(tag, "status") == "notrun" ||
               body.find("<skipped") != std::string_view::npos) {
      ++counts.skipped;
    } else {
      ++counts.passed;
    }
    pos = tag_end;
  }
  return counts;
}

}  // namespace cirque::tools
