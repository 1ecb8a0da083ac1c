// When each step of making a home began and ended, for benchmarks and for
// reading where a slow set-up spent its time:
//
//   for (const auto& span : home->timeline().Spans())
//     printf("%6.2f %6.2f %s\n", span.begin_s, span.end_s, span.what.c_str());
//
// Steps: "network <name>", "radio medium", "container <node>" (create and
// start), "attach radio <node>", "enable <capability> <node>". Times are seconds
// since the home was constructed.
//
// Thread safety: Record and the readers may be called concurrently.
#ifndef CIRQUE_TEST_HOME_TIMELINE_H_
#define CIRQUE_TEST_HOME_TIMELINE_H_

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace cirque::home {

class Timeline {
 public:
  using Clock = std::chrono::steady_clock;
  struct Span {
    std::string what;
    double begin_s = 0;
    double end_s = 0;
  };

  Timeline() : origin_(Clock::now()) {}

  Clock::time_point origin() const { return origin_; }
  void Record(std::string what, Clock::time_point begin, Clock::time_point end);
  // In the order they ended.
  std::vector<Span> Spans() const;
  // The latest end of the spans whose name starts with `prefix`; -1 when
  // there is none.
  double LastEnd(const std::string& prefix) const;

  // Records from its construction to its destruction.
  class Scope {
   public:
    Scope(Timeline& timeline, std::string what)
        : timeline_(timeline), what_(std::move(what)), begin_(Clock::now()) {}
    ~Scope() { timeline_.Record(std::move(what_), begin_, Clock::now()); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Timeline& timeline_;
    std::string what_;
    Clock::time_point begin_;
  };

 private:
  const Clock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<Span> spans_;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_TIMELINE_H_
