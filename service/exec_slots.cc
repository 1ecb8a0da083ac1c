#include "service/exec_slots.h"

#include <string>

#include "cirque_test/util/error.h"

namespace cirque::service {

ExecSlots::Slot ExecSlots::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (in_use_ >= limit_) {
    throw Error(ErrorCode::kUnavailable, "too many commands running in nodes at once (the limit is " +
                                             std::to_string(limit_) +
                                             "); retry when one has finished, or start the service with a "
                                             "higher --max-execs");
  }
  ++in_use_;
  return Slot(*this);
}

int ExecSlots::in_use() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_use_;
}

void ExecSlots::Give() {
  std::lock_guard<std::mutex> lock(mutex_);
  --in_use_;
}

}  // namespace cirque::service
