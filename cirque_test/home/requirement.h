// What the engine's host must offer for a capability (or a network) to
// work, declared up front: a home checks every requirement of every node
// before it creates anything, and a test that needs what the engine lacks
// is skipped (or, where the run requires that feature, failed) with the
// reason and the fix.
#ifndef CIRQUE_TEST_HOME_REQUIREMENT_H_
#define CIRQUE_TEST_HOME_REQUIREMENT_H_

#include <string>
#include <vector>

#include "cirque_test/util/error.h"

namespace cirque::home {

struct Requirement {
  enum class Kind {
    kEngineFeature,  // answered by `probe` on the engine's host
    kHostFile,       // `name` is an absolute path that must exist there
  };
  Kind kind = Kind::kEngineFeature;
  // kEngineFeature: the feature's name ("netem"), as engine::FeatureProbe
  // names it; one name, one question. kHostFile: the path.
  std::string name;
  std::string why;    // "for latency and loss"
  std::string probe;  // kEngineFeature: sh, exit 0 = present (engine_probe.h)
  std::string fix;    // what to do when it is missing
};

// Thrown by a home whose nodes need what the engine's host lacks. A fixture
// turns it into GTEST_SKIP with the message, which names the missing piece
// and the fix, unless the run requires that feature
// (CIRQUE_REQUIRE_FEATURES): then it is a failure.
class UnmetRequirementError : public Error {
 public:
  UnmetRequirementError(const std::string& message, std::vector<std::string> missing = {})
      : Error(ErrorCode::kFailedPrecondition, message), missing_(std::move(missing)) {}
  // The names of the missing requirements.
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  std::vector<std::string> missing_;
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_REQUIREMENT_H_
