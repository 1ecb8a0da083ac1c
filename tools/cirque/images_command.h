// `cirque images ...`: build and list the node images.
#ifndef CIRQUE_TOOLS_CIRQUE_IMAGES_COMMAND_H_
#define CIRQUE_TOOLS_CIRQUE_IMAGES_COMMAND_H_

#include <CLI/CLI.hpp>

namespace cirque::cli {

// Adds the `images` subcommand tree to `app`.
void AddImagesCommand(CLI::App& app);

}  // namespace cirque::cli

#endif  // CIRQUE_TOOLS_CIRQUE_IMAGES_COMMAND_H_
