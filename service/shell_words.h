// Splits a command line into words the way Python's shlex.split does in
// POSIX mode (what Cirque's clients rely on: docker-py splits a string
// command with it), so `bash -c 'echo a; echo b'` is three words. The words
// become an argv; nothing here or after hands them to a shell.
//
//   - unquoted: whitespace separates words; a backslash keeps the next
//     character, whatever it is, as it is;
//   - '...': everything literal up to the next quote;
//   - "...": literal except that a backslash before \ or " escapes it
//     (before anything else, $ included, the backslash stays);
//   - '#' is an ordinary character (shlex.split has no comments).
//
// Errors: Error (kInvalidArgument) naming `field` for an unclosed quote or
// a trailing backslash. Pure; thread-safe.
#ifndef CIRQUE_SERVICE_SHELL_WORDS_H_
#define CIRQUE_SERVICE_SHELL_WORDS_H_

#include <string>
#include <string_view>
#include <vector>

namespace cirque::service {

std::vector<std::string> SplitShellWords(std::string_view line, const std::string& field = "command");

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_SHELL_WORDS_H_
