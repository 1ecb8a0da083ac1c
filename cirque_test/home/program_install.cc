#include "cirque_test/home/program_install.h"

#include "cirque_test/util/error.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::home {
namespace {

using Clock = std::chrono::steady_clock;

// Writes the $1 bytes of stdin to $2 (beside it first, renamed over it once
// whole), then runs it on the rest of stdin when $3 is "run", or says
// "installed". Nothing is written after the program's bytes until it
// runs, so `head` cannot take bytes meant for the program.
constexpr const char* kInstallScript = R"sh(
set -e
head -c "$1" > "$2.new"
if [ "$(wc -c < "$2.new")" -ne "$1" ]; then
  rm -f "$2.new"
  echo "the copy of $2 ended short of its $1 bytes" >&2
  exit 1
fi
chmod 755 "$2.new"
mv -f "$2.new" "$2"
if [ "$3" = run ]; then exec "$2"; fi
echo installed
)sh";

std::string ShortId(const std::string& container_id) { return container_id.substr(0, 12); }

// Starts the script and writes the program down its stdin. When the write
// fails (the script ended early: no `head` in the image, a folder it may
// not write), the script's own words are the error, not the broken pipe.
std::unique_ptr<docker::ExecStream> WriteProgram(docker::DockerClient& client, const std::string& container_id,
                                                 const std::string& path, const std::string& program,
                                                 std::chrono::milliseconds deadline, const char* then,
                                                 Clock::time_point until) {
  std::unique_ptr<docker::ExecStream> stream = client.OpenExecStream(
      container_id,
      {.cmd = {"sh", "-c", kInstallScript, "cirque-install", std::to_string(program.size()), path, then},
       .deadline = deadline});
  try {
    stream->Write(program, until);
  } catch (const Error& error) {
    std::string out, err;
    const auto heard_until = std::min(until, Clock::now() + std::chrono::seconds(2));
    while (stream->Read(heard_until, out, err) == docker::ExecStream::ReadOutcome::kData) {
    }
    throw Error(error.code(), "writing " + path + " into '" + ShortId(container_id) + "': " +
                                  (err.empty() ? error.what() : LastLines(err, 3)));
  }
  return stream;
}

}  // namespace

void InstallProgram(docker::DockerClient& client, const std::string& container_id, const std::string& path,
                    const std::string& program, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  std::unique_ptr<docker::ExecStream> stream =
      WriteProgram(client, container_id, path, program, deadline, "report", until);
  std::string out, err;
  for (;;) {
    docker::ExecStream::ReadOutcome outcome = stream->Read(until, out, err);
    if (outcome == docker::ExecStream::ReadOutcome::kClosed) break;
    if (outcome == docker::ExecStream::ReadOutcome::kTimedOut) {
      throw Error(ErrorCode::kDeadlineExceeded, "writing " + path + " into '" + ShortId(container_id) +
                                                    "' did not end within " + std::to_string(deadline.count()) +
                                                    " ms");
    }
  }
  if (out.find("installed") == std::string::npos) {
    throw Error(ErrorCode::kInternal, "writing " + path + " into '" + ShortId(container_id) +
                                          "' failed: " + LastLines(err + out, 3));
  }
}

std::unique_ptr<docker::ExecStream> InstallAndRunProgram(docker::DockerClient& client, const std::string& container_id,
                                                         const std::string& path, const std::string& program,
                                                         std::chrono::milliseconds deadline) {
  return WriteProgram(client, container_id, path, program, deadline, "run", Clock::now() + deadline);
}

}  // namespace cirque::home
