#include "tools/cirque/home_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cirque_test/util/error.h"
#include "service/homes_api.h"
#include "service/service_client.h"
#include "tools/cirque/local_homes.h"

namespace cirque::cli {
namespace {

using Json = nlohmann::json;

struct ClientFlags {
  std::string server;
  std::string token_file;
  std::string state_dir;
  bool json = false;
};

std::string ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::kInvalidArgument, flag + " '" + path + "' cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// http://HOST[:PORT][/] or https://...: a scheme, then a host, nothing blank.
bool IsServiceUrl(const std::string& url) {
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.front() == ':') return false;
  return std::none_of(rest.begin(), rest.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '?' || c == '#';
  });
}

// A service's homes when one is named (--server or $CIRQUE_SERVER), else
// homes made and driven in this process (local_homes.h).
std::unique_ptr<service::HomesApi> Connect(const ClientFlags& flags) {
  std::string server = flags.server;
  std::string named_by = "--server";
  if (server.empty()) {
    const char* from_env = std::getenv("CIRQUE_SERVER");
    if (from_env != nullptr) server = from_env;
    named_by = "$CIRQUE_SERVER";
  }
  // httplib takes any word for a host name; a service is an http URL.
  if (!server.empty() && !IsServiceUrl(server)) {
    throw Error(ErrorCode::kInvalidArgument, named_by + " '" + server +
                                                 "' is not a service URL; fix: give http://HOST:PORT, as "
                                                 "`cirque serve` prints it (listening on ...)");
  }
  if (server.empty()) {
    if (!flags.token_file.empty()) {
      throw Error(ErrorCode::kInvalidArgument, "--token-file is for a service; name it with --server or $CIRQUE_SERVER");
    }
    return std::make_unique<LocalHomes>(flags.state_dir.empty() ? UserStateDir("cli") : flags.state_dir);
  }
  if (!flags.state_dir.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "--state-dir is for homes made without a service; a service (" + server + ") keeps its own");
  }
  std::string token;
  if (!flags.token_file.empty()) {
    token = ReadFile("--token-file", flags.token_file);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  }
  return std::make_unique<service::ServiceClient>(server, token);
}

Json SpecFile(const std::string& path) {
  Json nodes;
  try {
    nodes = Json::parse(ReadFile("SPEC.json", path));
  } catch (const Json::parse_error& error) {
    // nlohmann's message names the line and column of the fault.
    throw Error(ErrorCode::kInvalidArgument, "SPEC.json '" + path + "' is not valid JSON: " + error.what() +
                                                 "; fix: write a JSON object of node name -> Cirque node spec, "
                                                 "e.g. {\"hub\": {\"type\": \"generic\"}}");
  }
  if (!nodes.is_object()) {
    throw Error(ErrorCode::kInvalidArgument, "SPEC.json '" + path +
                                                 "' is not a JSON object of node name -> Cirque node spec, e.g. "
                                                 "{\"hub\": {\"type\": \"generic\"}}");
  }
  return nodes;
}

void PrintHome(const Json& home) {
  std::printf("home %s (%s)\n", home["id"].get<std::string>().c_str(), home["name"].get<std::string>().c_str());
  for (const auto& node : home["nodes"]) {
    std::string capabilities;
    for (const auto& [name, details] : node["capabilities"].items()) capabilities += " " + name;
    std::printf("  %-16s %-8s %-15s %s%s\n", node["name"].get<std::string>().c_str(),
                node["state"].get<std::string>().c_str(), node["ipv4_address"].get<std::string>().c_str(),
                node["image"].get<std::string>().c_str(), capabilities.c_str());
  }
}

void AddClientFlags(CLI::App* command, const std::shared_ptr<ClientFlags>& flags) {
  command->add_option("--server", flags->server,
                      "a cirque service's URL (default $CIRQUE_SERVER; neither: homes made by this command itself, "
                      "kept running between commands)");
  command->add_option("--token-file", flags->token_file, "file holding the service's bearer token");
  command->add_option("--state-dir", flags->state_dir,
                      "without a service: the folder whose homes these are (default ~/.local/state/cirque/cli)");
  command->add_flag("--json", flags->json, "print the /v1 API's JSON");
}

}  // namespace

void AddHomeCommands(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ClientFlags>();
  CLI::App* home = app.add_subcommand("home", "homes on a cirque service (cirque serve), or made here without one");
  home->require_subcommand(1);

  auto spec_path = std::make_shared<std::string>();
  CLI::App* create = home->add_subcommand("create", "make a home from a Cirque spec file");
  create->add_option("SPEC.json", *spec_path, "{\"node\": {spec}, ...}")->required();
  AddClientFlags(create, flags);
  create->callback([flags, spec_path] {
    Json made = Connect(*flags)->CreateHome(SpecFile(*spec_path));
    if (flags->json) {
      std::printf("%s\n", made.dump(2).c_str());
    } else {
      PrintHome(made);
    }
  });

  CLI::App* list = home->add_subcommand("list", "the homes the service owns (or this folder's)");
  AddClientFlags(list, flags);
  list->callback([flags] {
    Json homes = Connect(*flags)->ListHomes();
    if (flags->json) {
      std::printf("%s\n", homes.dump(2).c_str());
      return;
    }
    for (const auto& summary : homes["homes"]) {
      std::string nodes;
      for (const auto& node : summary["nodes"]) nodes += " " + node.get<std::string>();
      std::printf("%s %s:%s\n", summary["id"].get<std::string>().c_str(), summary["name"].get<std::string>().c_str(),
                  nodes.c_str());
    }
  });

  auto home_id = std::make_shared<std::string>();
  CLI::App* show = home->add_subcommand("show", "a home's networks and nodes");
  show->add_option("ID", *home_id, "the home's id")->required();
  AddClientFlags(show, flags);
  show->callback([flags, home_id] {
    Json described = Connect(*flags)->GetHome(*home_id);
    if (flags->json) {
      std::printf("%s\n", described.dump(2).c_str());
    } else {
      PrintHome(described);
    }
  });

  CLI::App* remove = home->add_subcommand("rm", "destroy a home and everything it made");
  remove->add_option("ID", *home_id, "the home's id")->required();
  AddClientFlags(remove, flags);
  remove->callback([flags, home_id] {
    Connect(*flags)->DeleteHome(*home_id);
    if (!flags->json) std::printf("home %s removed\n", home_id->c_str());
  });

  CLI::App* node = app.add_subcommand("node", "nodes of a home (on a cirque service, or made here)");
  node->require_subcommand(1);
  auto node_home = std::make_shared<std::string>();
  auto node_name = std::make_shared<std::string>();

  CLI::App* add = node->add_subcommand("add", "add the spec file's nodes to a running home");
  add->add_option("HOME", *node_home, "the home's id")->required();
  add->add_option("SPEC.json", *spec_path, "{\"node\": {spec}, ...}")->required();
  AddClientFlags(add, flags);
  add->callback([flags, node_home, spec_path] {
    Json added = Connect(*flags)->AddNodes(*node_home, SpecFile(*spec_path));
    if (flags->json) {
      std::printf("%s\n", added.dump(2).c_str());
    } else {
      for (const auto& made : added["nodes"]) std::printf("node %s added\n", made["name"].get<std::string>().c_str());
    }
  });

  auto argv = std::make_shared<std::vector<std::string>>();
  auto deadline_ms = std::make_shared<long>(60000);
  CLI::App* exec = node->add_subcommand("exec", "run a command (an argv, no shell) in a node");
  exec->add_option("HOME", *node_home, "the home's id")->required();
  exec->add_option("NODE", *node_name, "the node's name")->required();
  exec->add_option("ARGV", *argv, "the command after --")->required();
  exec->add_option("--deadline-ms", *deadline_ms, "kill the command after this long (default 60000)");
  AddClientFlags(exec, flags);
  exec->callback([flags, node_home, node_name, argv, deadline_ms, &exit_code] {
    docker::ExecResult result = Connect(*flags)->Exec(*node_home, *node_name, *argv, *deadline_ms);
    if (flags->json) {
      std::printf("%s\n", Json{{"exit_code", result.exit_code}, {"stdout", result.stdout_text},
                               {"stderr", result.stderr_text}}.dump(2).c_str());
    } else {
      std::fwrite(result.stdout_text.data(), 1, result.stdout_text.size(), stdout);
      std::fflush(stdout);  // before stderr, which is unbuffered: in order in one log
      std::fwrite(result.stderr_text.data(), 1, result.stderr_text.size(), stderr);
    }
    exit_code = result.exit_code;
  });

  auto tail = std::make_shared<int>(-1);
  CLI::App* logs = node->add_subcommand("logs", "a node's container log");
  logs->add_option("HOME", *node_home, "the home's id")->required();
  logs->add_option("NODE", *node_name, "the node's name")->required();
  logs->add_option("--tail", *tail, "the last N lines only");
  AddClientFlags(logs, flags);
  logs->callback([flags, node_home, node_name, tail] {
    std::string text = Connect(*flags)->Logs(*node_home, *node_name, *tail);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

}  // namespace cirque::cli
