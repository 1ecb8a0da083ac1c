// The main of a fuzz target outside fuzzing (fuzz_target.bzl): feeds each
// file named on the command line to LLVMFuzzerTestOneInput, once, and says
// how many it ran. A crash, a sanitizer report or an uncaught exception
// fails the run, as it would fail libFuzzer.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int ran = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "replay: cannot read %s\n", argv[i]);
      return 2;
    }
    std::string input((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    ++ran;
  }
  std::printf("replay: %d inputs, no crash\n", ran);
  return ran > 0 ? 0 : 1;  // an empty corpus is a mistake in the BUILD file
}
