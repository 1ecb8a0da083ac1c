// cirque: the command line of the cirque virtual-home test framework.
//
//   cirque images build [NAME...]   build node images whose inputs changed
//   cirque images list              list node images on the engine
//   cirque reap                     remove what dead runs left behind
//   cirque features                 what the engine's kernel offers; Thread on or off
//   cirque vm up|down|status        the VM backend (hwsim, netem)
//   cirque serve [--listen H:P]     the service: Cirque's REST API and /v1 on homes it owns
//   cirque home create|list|show|rm homes on a service (--server URL)
//   cirque node add|exec|logs       nodes of a home on a service
//
// The engine is DOCKER_HOST, or the local socket. Errors print one line
// naming what failed and exit 1; bad usage exits 2.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cirque_test/util/error.h"
#include "tools/cirque/home_command.h"
#include "tools/cirque/images_command.h"
#include "tools/cirque/reap_command.h"
#include "tools/cirque/serve_command.h"
#include "tools/cirque/usage_error.h"
#include "tools/cirque/vm_command.h"

int main(int argc, char** argv) {
  CLI::App app{"cirque: virtual homes of IoT devices for tests"};
  app.require_subcommand(1);
  cirque::cli::AddImagesCommand(app);
  cirque::cli::AddReapCommand(app);
  cirque::cli::AddFeaturesCommand(app);
  cirque::cli::AddVmCommand(app);
  cirque::cli::AddServeCommand(app);
  int exit_code = 0;
  cirque::cli::AddHomeCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RequiredError& error) {
    std::fflush(stdout);
    if (std::string missing = cirque::cli::MissingCommandMessage(app, {argv + 1, argv + argc}); !missing.empty()) {
      std::cerr << missing << "\nRun with --help for more information.\n";
      return 2;
    }
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const CLI::ParseError& error) {
    std::fflush(stdout);
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const cirque::Error& error) {
    // Redirected to a file, stdout is block-buffered and stderr is not:
    // with both in one log (cirque ... > log 2>&1), the error would land
    // before lines printed ahead of it. (Not line-buffered throughout:
    // then `cirque home list --json | grep -q ...` under pipefail would
    // die of SIGPIPE writing the lines after the match.)
    std::fflush(stdout);
    std::cerr << "cirque: " << error.what() << "\n";
    return 1;
  }
  return exit_code;
}
