// Splits a stream of newline-separated JSON objects (build and import
// progress) into whole lines, whatever the read boundaries.
//
// Thread safety: not thread-safe.
#ifndef CIRQUE_TEST_DOCKER_INTERNAL_JSON_LINES_H_
#define CIRQUE_TEST_DOCKER_INTERNAL_JSON_LINES_H_

#include <functional>
#include <string>
#include <string_view>

namespace cirque::docker::internal {

class JsonLineSplitter {
 public:
  explicit JsonLineSplitter(std::function<void(std::string_view)> on_line)
      : on_line_(std::move(on_line)) {}
  void Feed(std::string_view data);
  // Delivers a last line that had no newline.
  void Finish();

 private:
  std::function<void(std::string_view)> on_line_;
  std::string pending_;
};

}  // namespace cirque::docker::internal

#endif  // CIRQUE_TEST_DOCKER_INTERNAL_JSON_LINES_H_
