// Radio links between Thread nodes of one home: a loss rate for any pair,
// set and changed while the test runs; a loss of 1 cuts the link.
// (OpenThread's simulation and its peers offer only one loss ratio for a
// whole network.)
//
// How: a node hears a peer through datagrams from the peer's send port to
// its medium's listen port (thread_media.h). A rule in the receiving node's
// network namespace drops those datagrams at random with the link's loss
// (iptables' statistic match), one rule per direction. The rules are set
// through a small helper container sharing the node's network namespace
// (NET_ADMIN only, made on the first shaped link of the node), so the
// node's image needs no iptables. A restarted node gets a new namespace:
// its capability calls Forget before, and Restore after, the restart.
//
// Thread safety: every method may be called from several threads.
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_LINKS_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_LINKS_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "capabilities/thread/thread_media.h"
#include "cirque_test/home/capability.h"
#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

// The iptables arguments (after the chain) that drop what `from` sends
// to `to` with probability `loss` (0 < loss <= 1). Pure.
std::vector<std::string> LinkDropRule(const ThreadMember& from, const ThreadMember& to, double loss);

class ThreadLinks : public home::HomeResource {
 public:
  static constexpr const char* kResourceKey = "thread.links";

  ThreadLinks(home::HomeContext& home, ThreadMedia& media);
  ~ThreadLinks() override;
  std::vector<std::string> Close() override;
  // Leaves the helpers running (the home is left running). A process that
  // adopts the home later does not know the links set before: it starts
  // with every link whole in its own view, whatever rules the nodes keep.
  void Release() override;

  // Sets the loss of the link between `a` and `b`, both ways: 0 heals it,
  // 1 cuts it. Throws Error (kInvalidArgument) for a loss outside 0..1,
  // nodes on different petitions or the same node; the engine's or
  // iptables' error otherwise.
  void SetLoss(home::NodeRuntime& a, home::NodeRuntime& b, double loss);
  // The loss set between two nodes (0 when none).
  double Loss(const std::string& a, const std::string& b) const;

  // Before `node` restarts or goes: its helper goes (its namespace does).
  void Forget(const std::string& node);
  // After `node` restarted: its rules are put back.
  void Restore(home::NodeRuntime& node);

 private:
  struct Helper {
    std::string container_id;
  };
  // Applies the receiving side of `from` -> `to`, replacing what was there.
  void Apply(home::NodeRuntime& receiver, const ThreadMember& from, const ThreadMember& to, double old_loss,
             double loss);
  std::string HelperFor(home::NodeRuntime& node);
  void RunIn(const std::string& helper, const std::vector<std::string>& argv);

  home::HomeContext& home_;
  ThreadMedia& media_;
  mutable std::mutex mutex_;  // one change at a time: rules are deleted by their text
  std::map<std::pair<std::string, std::string>, double> loss_;  // GUARDED_BY(mutex_): (from, to), from < to
  std::map<std::string, Helper> helpers_;                      // GUARDED_BY(mutex_): node -> helper
};

// The home's links, made on first use.
ThreadLinks& HomeThreadLinks(home::HomeContext& home);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_LINKS_H_
