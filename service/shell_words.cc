#include "service/shell_words.h"

#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

[[noreturn]] void Refuse(const std::string& field, std::string_view line, const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument, field + " '" + std::string(line) + "': " + why +
                                               "; fix: close the quote, or escape it with a backslash");
}

}  // namespace

std::vector<std::string> SplitShellWords(std::string_view line, const std::string& field) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has begun (it may be empty: '' is a word)
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c)) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= line.size()) Refuse(field, line, "it ends with a backslash");
      word += line[i + 1];
      in_word = true;
      i += 2;
    } else if (c == '\'') {
      size_t close = line.find('\'', i + 1);
      if (close == std::string_view::npos) Refuse(field, line, "a single quote is not closed");
      word.append(line.substr(i + 1, close - i - 1));
      in_word = true;
      i = close + 1;
    } else if (c == '"') {
      size_t j = i + 1;
      while (true) {
        if (j >= line.size()) Refuse(field, line, "a double quote is not closed");
        char d = line[j];
        if (d == '"') break;
        if (d == '\\' && j + 1 < line.size()) {
          char next = line[j + 1];
          if (next == '\\' || next == '"') {
            word += next;
            j += 2;
            continue;
          }
        }
        word += d;
        ++j;
      }
      in_word = true;
      i = j + 1;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

}  // namespace cirque::service
