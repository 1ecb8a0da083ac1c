// How busy the engine's host is: CPU time read from its /proc/stat, which a
// container sees whole (it is not namespaced), through one shell kept open
// in a small idle container of the meter's own. A reading is a line each
// way and starts no process on the engine's host, so the meter hardly adds
// to what it measures (on the emulated VM an exec per reading would cost a
// few tenths of a second of CPU each).
//
// Ownership: the meter owns its container and removes it when destroyed.
// Errors: Error from the engine; kInternal for a reading it cannot parse or
// one that does not come within 10 s.
// Thread safety: one thread at a time.
#ifndef CIRQUE_BENCH_ENGINE_CPU_H_
#define CIRQUE_BENCH_ENGINE_CPU_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/exec_stream.h"

namespace cirque::bench {

// Seconds of CPU time since the engine's host booted, all CPUs together.
struct CpuReading {
  double busy_s = 0;  // user, nice, system, irq, softirq, steal
  double idle_s = 0;  // idle and iowait
};

// The first line of /proc/stat ("cpu  user nice system idle iowait irq
// softirq steal ..."), in clock ticks of `ticks_per_second`. Throws Error
// (kInternal) naming the line when it is not one. Pure; tested alone.
CpuReading ParseProcStatCpuLine(const std::string& line, double ticks_per_second);

class EngineCpuMeter {
 public:
  // Makes and starts the meter's container from `image` (which needs sh),
  // labelled as a run's resource (home/labels.h) named after `owner`
  // ("wifi-bench"), so that a dead run's reaper removes it.
  EngineCpuMeter(docker::DockerClient& client, const std::string& image, const std::string& owner);
  // Removes the container; never throws.
  ~EngineCpuMeter();
  EngineCpuMeter(const EngineCpuMeter&) = delete;
  EngineCpuMeter& operator=(const EngineCpuMeter&) = delete;

  CpuReading Read();
  // The engine host's CPUs, as /proc/stat lists them.
  int cpus() const { return cpus_; }

 private:
  std::string ReadLine();

  docker::DockerClient& client_;
  std::string container_id_;
  std::unique_ptr<docker::ExecStream> shell_;
  std::string received_;
  int cpus_ = 0;
};

// Steps one after another, each timed in wall-clock seconds and in the
// engine host's CPU seconds, from one reading of the meter to the next.
class CpuLedger {
 public:
  struct Spent {
    std::string what;
    double cpu_s = 0;
    double wall_s = 0;
  };

  // Reads the starting point.
  explicit CpuLedger(EngineCpuMeter& meter);
  // Ends a step here: what was spent since the last one (or the start).
  void Step(std::string what);
  const std::vector<Spent>& steps() const { return steps_; }
  double cpu_s() const;
  // Prints "  <what>  X cpu-s over Y s" a line per step.
  void Print() const;

 private:
  EngineCpuMeter& meter_;
  CpuReading last_;
  std::chrono::steady_clock::time_point last_at_;
  std::vector<Spent> steps_;
};

}  // namespace cirque::bench

#endif  // CIRQUE_BENCH_ENGINE_CPU_H_
