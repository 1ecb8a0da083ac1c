// A cap on the commands a service runs in nodes at once: each exec takes a
// slot, and a request that finds none is refused at once with a clear error
// rather than queued behind long-running commands.
//
// Thread safety: every method may be called from several threads.
#ifndef CIRQUE_SERVICE_EXEC_SLOTS_H_
#define CIRQUE_SERVICE_EXEC_SLOTS_H_

#include <mutex>

namespace cirque::service {

class ExecSlots {
 public:
  explicit ExecSlots(int limit) : limit_(limit) {}

  // Holds a slot while it lives.
  class Slot {
   public:
    explicit Slot(ExecSlots& slots) : slots_(&slots) {}
    Slot(Slot&& other) noexcept : slots_(other.slots_) { other.slots_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (slots_ != nullptr) slots_->Give();
    }

   private:
    ExecSlots* slots_;
  };

  // A slot, or Error (kUnavailable) naming the limit and the fix.
  Slot Take();
  int limit() const { return limit_; }
  int in_use() const;

 private:
  void Give();

  const int limit_;
  mutable std::mutex mutex_;
  int in_use_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_EXEC_SLOTS_H_
