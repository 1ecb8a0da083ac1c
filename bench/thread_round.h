// One round of thread_bench, through cirque or on the floor: the moments
// (seconds since set-up began) at which the last node passed each step,
// and figures that tell where the time went.
#ifndef CIRQUE_BENCH_THREAD_ROUND_H_
#define CIRQUE_BENCH_THREAD_ROUND_H_

#include <chrono>
#include <map>
#include <string>

namespace cirque::bench {

struct ThreadRound {
  double containers = 0;  // every container started
  double radios = 0;      // every radio answering Spinel
  double up = 0;          // every host stack answering `ot-ctl state` (cirque: the home made)
  double leader = 0;      // the first node leader of the network it formed
  double attached = 0;    // every node attached, one partition
  double pinged = 0;      // the last node's ping of the leader answered
  // Named figures (seconds) for the breakdown, e.g. "exec round trip".
  std::map<std::string, double> notes;
};

inline double SecondsBetween(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The floor: the same OpenThread processes started and driven through the
// Docker client alone (thread_floor.cc). Removes all it made, also when it
// throws.
ThreadRound FloorRound(int nodes, int time_speed);

}  // namespace cirque::bench

#endif  // CIRQUE_BENCH_THREAD_ROUND_H_
