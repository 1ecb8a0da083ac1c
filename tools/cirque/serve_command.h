// `cirque serve`: the cirque service. Owns homes on the engine (the local
// socket or DOCKER_HOST) and serves Cirque's REST API on them
// (service/cirque_api.h), on 127.0.0.1:5000 unless --listen says otherwise,
// and Cirque's gRPC API (service/cirque_grpc_service.h) on 127.0.0.1:50051
// unless --grpc-listen says otherwise ("off": none).
// SIGTERM or SIGINT stops it; its homes are destroyed then, unless
// --keep-homes.
#ifndef CIRQUE_TOOLS_CIRQUE_SERVE_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

void AddServeCommand(CLI::App& app);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_SERVE_COMMAND_H_
