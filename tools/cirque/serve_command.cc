#include "tools/cirque/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/service_owner.h"
#include "cirque_test/runtime/runtime.h"
#include "cirque_test/util/error.h"
#include "service/earlier_homes.h"
#include "service/grpc_server.h"
#include "service/home_registry.h"
#include "service/mount_policy.h"
#include "service/server.h"
#include "tools/cirque/state_dir.h"

namespace cirque::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:5000";
  std::string grpc_listen = "127.0.0.1:50051";  // "off" or "": no gRPC
  std::string token_file;
  size_t max_body = 1 << 20;
  int max_execs = 32;
  bool keep_homes = false;
  bool reap = false;
  std::string state_dir;
  std::vector<std::string> allow_mount;
};

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::kInvalidArgument, "--token-file '" + path + "': cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.size() < 16) {
    throw Error(ErrorCode::kInvalidArgument, "--token-file '" + path +
                                                 "': the token is shorter than 16 characters; fix: put a long "
                                                 "random one in it (e.g. from `head -c 24 /dev/urandom | base64`)");
  }
  return token;
}

// Where a service's lasting identity lives when --state-dir is not given:
// one folder per port, so a service started again on its port adopts its
// homes. A service on any free port (0) gets a fresh folder: nothing to
// adopt, and a killed one's homes go with `cirque reap`.
std::string DefaultStateDir(int port) {
  if (port == 0) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cirque-serve-XXXXXX";
    std::vector<char> path(pattern.begin(), pattern.end());
    path.push_back('\0');
    if (mkdtemp(path.data()) == nullptr) {
      throw Error(ErrorCode::kFailedPrecondition, "cannot make a state folder like " + pattern + "; give --state-dir");
    }
    return path.data();
  }
  return UserStateDir("serve-" + std::to_string(port));
}

void Serve(const ServeFlags& flags) {
  service::ServerOptions options;
  service::ParseListen(flags.listen, options);
  // The service's homes belong to its state folder, not to this process:
  // set before anything is made (the runtime's helpers included).
  home::ServiceOwnerLock owner =
      home::ServiceOwnerLock::Acquire(flags.state_dir.empty() ? DefaultStateDir(options.port) : flags.state_dir);
  home::SetProcessOwner(owner.owner_text());
  if (!flags.token_file.empty()) options.token = ReadToken(flags.token_file);
  options.max_body_bytes = flags.max_body;
  options.max_execs = flags.max_execs;
  options.exec_slots = std::make_shared<service::ExecSlots>(flags.max_execs);  // REST and gRPC together

  // SIGTERM and SIGINT are taken by one thread (sigwait), which stops the
  // server; blocked here, before any thread starts, so none else gets them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Said at once: taking over an earlier run's homes below may take a while.
  std::printf("cirque serve: state in %s\n", owner.state_dir().c_str());
  std::fflush(stdout);
  service::MountPolicy mounts(flags.allow_mount);
  runtime::Runtime& runtime = runtime::Runtime::Default();
  options.engine_features = [&runtime] {
    engine::EngineReport report = runtime.ProbeEngine(runtime::BuiltinEngineRequirements());
    return nlohmann::json{{"endpoint", report.endpoint},
                          {"kernel_version", report.kernel_version},
                          {"features", report.features}};
  };
  service::HomeRegistry homes(
      runtime.registry(),
      [&runtime](const std::string& name, const std::vector<home::NodeSpec>& nodes) {
        return runtime.MakeHome(name, nodes);
      },
      [&mounts](const std::vector<home::NodeSpec>& nodes) { mounts.Check(nodes); });
  service::EarlierHomesReport earlier = service::TakeOverEarlierHomes(
      runtime.client(), homes, [&runtime](const std::string& id) { return runtime.AdoptHome(id); },
      owner.owner_text(), flags.reap, runtime.HomeOptionsFor("reaper").helper_image);
  for (const auto& adopted : earlier.adopted) std::printf("cirque serve: adopted home %s\n", adopted.c_str());
  for (const auto& removed : earlier.removed) std::printf("cirque serve: removed home %s\n", removed.c_str());
  std::fflush(stdout);
  for (const auto& problem : earlier.problems) std::fprintf(stderr, "cirque serve: %s\n", problem.c_str());
  service::Server server(options, homes);
  int port = server.Bind();
  // Scripts wait for this line: the service answers from now on, with
  // the homes of an earlier run already adopted.
  std::printf("cirque serve: listening on http://%s:%d (engine %s)\n",
              options.host.find(':') != std::string::npos ? ("[" + options.host + "]").c_str() : options.host.c_str(),
              port, runtime.client().endpoint().ToString().c_str());
  std::fflush(stdout);
  // Cirque's gRPC API on the same homes, with the same token and limits.
  std::unique_ptr<service::GrpcServer> grpc;
  if (!flags.grpc_listen.empty() && flags.grpc_listen != "off") {
    service::ServerOptions grpc_options = options;
    service::ParseListen(flags.grpc_listen, grpc_options, "--grpc-listen");
    grpc = std::make_unique<service::GrpcServer>(grpc_options, homes);
    int grpc_port = grpc->Start();
    const bool ipv6 = grpc_options.host.find(':') != std::string::npos;
    std::printf("cirque serve: gRPC (cirque.proto.CirqueService) on %s:%d\n",
                (ipv6 ? "[" + grpc_options.host + "]" : grpc_options.host).c_str(), grpc_port);
    std::fflush(stdout);
  }

  std::thread stopper([&server, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::printf("cirque serve: signal %d: stopping\n", signal);
    std::fflush(stdout);
    server.Stop();
  });
  bool served = server.Run();
  if (grpc) grpc->Stop();
  if (flags.keep_homes) {
    auto kept = homes.ReleaseAll();
    std::printf("cirque serve: stopped; %zu homes left running (--keep-homes)\n", kept.size());
  } else {
    auto problems = homes.DestroyAll();
    std::fflush(stdout);
    for (const auto& problem : problems) std::fprintf(stderr, "cirque serve: %s\n", problem.c_str());
    std::printf("cirque serve: stopped; homes destroyed%s\n", problems.empty() ? "" : " (with problems, above)");
  }
  std::fflush(stdout);
  // The stopper waits for a signal that may never come when the server
  // stopped by itself; it is detached, and the process exits.
  stopper.detach();
  if (!served) throw Error(ErrorCode::kInternal, "the server stopped on an error");
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "serve Cirque's REST and gRPC APIs on homes this process owns");
  serve->add_option("--listen", flags->listen, "HOST:PORT to listen on (default 127.0.0.1:5000; port 0: any free)");
  serve->add_option("--grpc-listen", flags->grpc_listen,
                    "HOST:PORT for Cirque's gRPC API (default 127.0.0.1:50051; \"off\": none)");
  serve->add_option("--token-file", flags->token_file,
                    "file holding a bearer token every request must carry (required off loopback)");
  serve->add_option("--max-body", flags->max_body, "largest request body taken, in bytes (default 1 MiB)");
  serve->add_option("--max-execs", flags->max_execs, "commands run in nodes at once (default 32)");
  serve->add_flag("--keep-homes", flags->keep_homes,
                  "leave the homes running when the service stops (the next start with this state folder adopts them)");
  serve->add_option("--state-dir", flags->state_dir,
                    "folder naming this service's homes across restarts (default: ~/.local/state/cirque/serve-PORT; "
                    "with port 0, a fresh one); a start adopts the homes an earlier run with it left");
  serve->add_flag("--reap", flags->reap, "remove the homes an earlier run left instead of adopting them");
  serve->add_option("--allow-mount", flags->allow_mount,
                    "a host directory node specs may mount from (repeatable; default: none may be mounted)");
  serve->callback([flags] { Serve(*flags); });
}

}  // namespace cirque::cli
