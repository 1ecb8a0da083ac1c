#include "bench/engine_cpu.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::bench {
namespace {

// Prints how many CPUs there are, then the first line of /proc/stat for
// every line it is sent, with the shell's builtins only.
constexpr const char* kShell = R"sh(
n=0
while read -r key _; do case $key in cpu[0-9]*) n=$((n + 1)) ;; esac; done < /proc/stat
echo "cpus $n"
while read -r _; do read -r line < /proc/stat; echo "$line"; done
)sh";

// The engine host's USER_HZ: 100 on every Linux the engine runs on.
constexpr double kTicksPerSecond = 100;
constexpr auto kReadingDeadline = std::chrono::seconds(10);

}  // namespace

CpuReading ParseProcStatCpuLine(const std::string& line, double ticks_per_second) {
  std::istringstream fields(line);
  std::string key;
  std::vector<double> ticks;
  fields >> key;
  for (double value = 0; fields >> value;) ticks.push_back(value);
  if (key != "cpu" || ticks.size() < 8) {
    throw Error(ErrorCode::kInternal, "not the CPU line of /proc/stat: '" + line + "'");
  }
  // user nice system idle iowait irq softirq steal
  CpuReading reading;
  reading.busy_s = (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) / ticks_per_second;
  reading.idle_s = (ticks[3] + ticks[4]) / ticks_per_second;
  return reading;
}

EngineCpuMeter::EngineCpuMeter(docker::DockerClient& client, const std::string& image, const std::string& owner)
    : client_(client) {
  docker::ContainerSpec spec;
  spec.image = image;
  spec.labels = home::HomeLabels(owner + "-cpu-" + home::NewId());
  spec.labels[home::kRoleLabel] = "bench-cpu-meter";
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"infinity"};
  spec.process.init = true;
  spec.network.disabled = true;
  container_id_ = client_.CreateContainer(spec);
  try {
    client_.StartContainer(container_id_);
    docker::ExecSpec shell;
    shell.cmd = {"sh", "-c", kShell};
    shell_ = client_.OpenExecStream(container_id_, shell);
    const std::string first = ReadLine();
    if (first.rfind("cpus ", 0) != 0 || (cpus_ = std::atoi(first.c_str() + 5)) <= 0) {
      throw Error(ErrorCode::kInternal, "the CPU meter's shell said '" + first + "', not 'cpus N'");
    }
  } catch (...) {
    shell_.reset();
    client_.RemoveContainer(container_id_, true);
    throw;
  }
}

EngineCpuMeter::~EngineCpuMeter() {
  try {
    shell_.reset();
    client_.RemoveContainer(container_id_, true);
  } catch (const std::exception&) {
    // Labelled: the reaper removes it.
  }
}

CpuReading EngineCpuMeter::Read() {
  shell_->Write("\n", docker::ExecStream::Clock::now() + kReadingDeadline);
  return ParseProcStatCpuLine(ReadLine(), kTicksPerSecond);
}

std::string EngineCpuMeter::ReadLine() {
  const auto until = docker::ExecStream::Clock::now() + kReadingDeadline;
  for (;;) {
    if (auto end = received_.find('\n'); end != std::string::npos) {
      std::string line = received_.substr(0, end);
      received_.erase(0, end + 1);
      return line;
    }
    std::string errors;
    switch (shell_->Read(until, received_, errors)) {
      case docker::ExecStream::ReadOutcome::kData:
        break;
      case docker::ExecStream::ReadOutcome::kTimedOut:
        throw Error(ErrorCode::kInternal, "the CPU meter's shell printed no line within 10 s");
      case docker::ExecStream::ReadOutcome::kClosed:
        throw Error(ErrorCode::kInternal, "the CPU meter's shell ended: " + errors);
    }
  }
}

CpuLedger::CpuLedger(EngineCpuMeter& meter)
    : meter_(meter), last_(meter.Read()), last_at_(std::chrono::steady_clock::now()) {}

void CpuLedger::Step(std::string what) {
  CpuReading now = meter_.Read();
  auto now_at = std::chrono::steady_clock::now();
  steps_.push_back({std::move(what), now.busy_s - last_.busy_s,
                    std::chrono::duration<double>(now_at - last_at_).count()});
  last_ = now;
  last_at_ = now_at;
}

double CpuLedger::cpu_s() const {
  double total = 0;
  for (const auto& step : steps_) total += step.cpu_s;
  return total;
}

void CpuLedger::Print() const {
  for (const auto& step : steps_) {
    std::printf("  %-20s %6.2f cpu-s over %6.2f s\n", step.what.c_str(), step.cpu_s, step.wall_s);
  }
}

}  // namespace cirque::bench
