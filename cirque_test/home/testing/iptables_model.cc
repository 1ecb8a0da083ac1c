#include "cirque_test/home/testing/iptables_model.h"

#include <cstdint>

namespace cirque::home::testing {
namespace {

constexpr const char* kChain = "FORWARD";

// "a.b.c.d" -> its 32 bits; nothing for anything else.
std::optional<uint32_t> ParseAddress(const std::string& text) {
  uint32_t value = 0;
  int parts = 0;
  size_t at = 0;
  while (parts < 4) {
    size_t end = text.find('.', at);
    std::string part = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    int number = std::stoi(part);
    if (number > 255) return std::nullopt;
    value = (value << 8) | static_cast<uint32_t>(number);
    ++parts;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  if (parts != 4) return std::nullopt;
  return value;
}

struct Cidr {
  uint32_t network = 0;
  int length = 32;
};

std::optional<Cidr> ParseCidr(const std::string& text) {
  size_t slash = text.find('/');
  std::optional<uint32_t> address = ParseAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  Cidr cidr;
  if (slash != std::string::npos) {
    std::string length = text.substr(slash + 1);
    if (length.empty() || length.size() > 2 || length.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    cidr.length = std::stoi(length);
    if (cidr.length > 32) return std::nullopt;
  }
  uint32_t mask = cidr.length == 0 ? 0 : ~uint32_t{0} << (32 - cidr.length);
  cidr.network = *address & mask;
  return cidr;
}

std::string FormatCidr(const Cidr& cidr) {
  std::string text;
  for (int shift = 24; shift >= 0; shift -= 8) {
    text += std::to_string((cidr.network >> shift) & 0xff) + (shift > 0 ? "." : "");
  }
  return text + "/" + std::to_string(cidr.length);
}

docker::ExecResult Refused(int code, const std::string& message) {
  return {.exit_code = code, .stdout_text = "", .stderr_text = "iptables (model): " + message + "\n"};
}

bool IsNumber(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Parses RULE words into `rule`; returns an error message, or "" when fine.
// Addresses are stored as iptables prints them back: network/length.
std::string ParseRule(const std::vector<std::string>& words, size_t from, ModelRule& rule) {
  bool negate = false;
  for (size_t i = from; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "!") {
      negate = true;
      continue;
    }
    if (i + 1 >= words.size()) return "option '" + word + "' needs a value";
    const std::string& value = words[++i];
    if (word == "-s" || word == "-d") {
      std::optional<Cidr> cidr = ParseCidr(value);
      if (!cidr) return "host/network '" + value + "' not found";
      (word == "-s" ? rule.source : rule.destination) = FormatCidr(*cidr);
      (word == "-s" ? rule.source_negated : rule.destination_negated) = negate;
    } else if (word == "-m") {
      if (value != "comment") return "match '" + value + "' is not modelled";
    } else if (word == "--comment") {
      rule.comment = value;
    } else if (word == "-j") {
      rule.target = value;
    } else {
      return "option '" + word + "' is not modelled";
    }
    if (negate && word != "-s" && word != "-d") return "'!' before '" + word + "' is not modelled";
    negate = false;
  }
  if (rule.target.empty()) return "a rule without -j is not modelled";
  return "";
}

bool Matches(const std::string& address, const std::string& cidr, bool negated) {
  if (cidr.empty()) return true;
  return InCidr(address, cidr) != negated;
}

}  // namespace

bool InCidr(const std::string& address, const std::string& cidr) {
  std::optional<uint32_t> parsed = ParseAddress(address);
  std::optional<Cidr> range = ParseCidr(cidr);
  if (!parsed || !range) return false;
  uint32_t mask = range->length == 0 ? 0 : ~uint32_t{0} << (32 - range->length);
  return (*parsed & mask) == range->network;
}

std::string ModelRule::ToListing() const {
  std::string text = std::string("-A ") + kChain;
  if (!source.empty()) text += std::string(source_negated ? " !" : "") + " -s " + source;
  if (!destination.empty()) text += std::string(destination_negated ? " !" : "") + " -d " + destination;
  if (!comment.empty()) text += " -m comment --comment \"" + comment + "\"";
  return text + " -j " + target;
}

docker::ExecResult IptablesModel::Run(const std::vector<std::string>& argv) {
  size_t i = 1;  // argv[0] is the binary
  while (i < argv.size() && (argv[i] == "-w" || argv[i] == "-t")) {
    if (argv[i] == "-t") {
      if (i + 1 >= argv.size() || argv[i + 1] != "mangle") {
        return Refused(2, "only the mangle table is modelled");
      }
      ++i;
    }
    ++i;
  }
  if (i >= argv.size()) return Refused(2, "no command given");
  const std::string command = argv[i++];
  if (command == "-S") {
    if (i < argv.size() && argv[i] != kChain) return Refused(1, "chain '" + argv[i] + "' is not modelled");
    return {.exit_code = 0, .stdout_text = Listing(), .stderr_text = ""};
  }
  if (command != "-I" && command != "-A" && command != "-D") return Refused(2, "command '" + command + "' is not modelled");
  if (i >= argv.size() || argv[i] != kChain) return Refused(1, "only chain FORWARD is modelled");
  ++i;

  std::lock_guard<std::mutex> lock(mutex_);
  if (command == "-D" && i + 1 == argv.size() && IsNumber(argv[i])) {
    size_t index = std::stoul(argv[i]);
    if (index < 1 || index > chain_.size()) return Refused(1, "Index of deletion too big.");
    chain_.erase(chain_.begin() + static_cast<long>(index - 1));
    applied_.push_back(argv);
    return {.exit_code = 0};
  }
  size_t position = 1;
  if (command == "-I" && i < argv.size() && IsNumber(argv[i])) position = std::stoul(argv[i++]);
  ModelRule rule;
  if (std::string problem = ParseRule(argv, i, rule); !problem.empty()) return Refused(2, problem);
  if (command == "-I") {
    if (position < 1 || position > chain_.size() + 1) return Refused(1, "Index of insertion too big.");
    chain_.insert(chain_.begin() + static_cast<long>(position - 1), rule);
  } else if (command == "-A") {
    chain_.push_back(rule);
  } else {
    bool found = false;
    for (auto it = chain_.begin(); it != chain_.end(); ++it) {
      if (*it == rule) {
        chain_.erase(it);
        found = true;
        break;
      }
    }
    if (!found) return Refused(1, "Bad rule (does a matching rule exist in that chain?).");
  }
  applied_.push_back(argv);
  return {.exit_code = 0};
}

HostExecFunction IptablesModel::AsExec() {
  return [this](const std::vector<std::string>& argv) { return Run(argv); };
}

std::vector<ModelRule> IptablesModel::Rules() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return chain_;
}

std::string IptablesModel::Listing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string text = std::string("-P ") + kChain + " ACCEPT\n";
  for (const auto& rule : chain_) text += rule.ToListing() + "\n";
  return text;
}

std::optional<ModelRule> IptablesModel::FirstMatch(const std::string& source,
                                                   const std::string& destination) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& rule : chain_) {
    if (Matches(source, rule.source, rule.source_negated) &&
        Matches(destination, rule.destination, rule.destination_negated)) {
      return rule;
    }
  }
  return std::nullopt;
}

std::vector<std::vector<std::string>> IptablesModel::Applied() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return applied_;
}

}  // namespace cirque::home::testing
