#include "tools/cirque/usage_error.h"

namespace cirque::cli {

std::string MissingCommandMessage(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  std::string path = "cirque";
  size_t next = 0;
  while (current->get_require_subcommand_min() > 0) {
    std::vector<CLI::App*> commands = current->get_subcommands([](CLI::App*) { return true; });
    std::string names;
    for (const CLI::App* command : commands) names += (names.empty() ? "" : ", ") + command->get_name();
    // Options before the command word (cirque --help is CLI11's own).
    while (next < args.size() && !args[next].empty() && args[next][0] == '-') ++next;
    if (next == args.size()) return path + ": a command is needed; commands: " + names;
    CLI::App* found = nullptr;
    for (CLI::App* command : commands) {
      if (command->get_name() == args[next]) found = command;
    }
    if (found == nullptr) return path + ": '" + args[next] + "' is not a command; commands: " + names;
    path += " " + args[next];
    current = found;
    ++next;
  }
  return "";
}

}  // namespace cirque::cli
