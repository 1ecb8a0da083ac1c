// Cirque's device_cmd command string, split like Python's shlex.split into
// an argv no shell sees. Contract: words or cirque::Error (an unclosed
// quote, a trailing escape); words never hold a NUL the input lacked, and
// joining them takes no more bytes than the input had.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cirque_test/util/error.h"
#include "service/shell_words.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  try {
    size_t total = 0;
    for (const auto& word : cirque::service::SplitShellWords(line)) total += word.size();
    if (total > line.size()) std::abort();
  } catch (const cirque::Error&) {
  }
  return 0;
}
