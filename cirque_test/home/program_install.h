// Programs written into a running container down one exec's stdin, instead
// of copied as an archive: on an emulated engine an archive PUT costs a run
// of dockerd's own binary to unpack it (seconds under load), an exec a
// fraction of that. Used for the exec agent (which then runs on the same
// exec) and for helper tools such as hwsim_ctl.
//
// The container's image must have sh, head, wc, chmod and mv, and its user
// must be able to write the program's folder. The program is written beside
// `path` and renamed over it only once all its bytes arrived, so a cut copy
// never replaces a whole one.
//
// Errors: Error naming the container and what failed, with the script's own
// words (stderr) when it said any. Thread safety: free functions; calls for
// one container may run at once only for different paths.
#ifndef CIRQUE_TEST_HOME_PROGRAM_INSTALL_H_
#define CIRQUE_TEST_HOME_PROGRAM_INSTALL_H_

#include <chrono>
#include <memory>
#include <string>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

// Writes `program` to `path` in the container, executable, and waits until
// it is there, all within `deadline`.
void InstallProgram(docker::DockerClient& client, const std::string& container_id, const std::string& path,
                    const std::string& program, std::chrono::milliseconds deadline);

// Writes `program` to `path` as InstallProgram does, then runs it with the
// exec's streams: returns the stream, the program reading the rest of its
// stdin. `deadline` bounds the write and the exec (a long-running program
// needs a long one).
std::unique_ptr<docker::ExecStream> InstallAndRunProgram(docker::DockerClient& client, const std::string& container_id,
                                                         const std::string& path, const std::string& program,
                                                         std::chrono::milliseconds deadline);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_PROGRAM_INSTALL_H_
