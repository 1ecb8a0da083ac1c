// The Thread media of one home: a home-scoped resource (key
// "thread.media") that hands each Thread node its simulation node id and
// keeps the home's time speed.
//
// How the media are kept apart: a simulated radio sends each frame as a
// UDP datagram to 224.0.0.116 on the node's home network interface, from
// port 9000 + 34 * petition + node id to port 9000 + 34 * petition
// (OpenThread's PORT_OFFSET = petition). A home's network is its own, and
// link-local multicast (224.0.0.0/24) is never routed, so homes never hear each other;
// within a home, petitions listen on different ports. Node ids are unique
// within a petition (1..33, OpenThread's simulation limit).
//
// Thread safety: every method may be called from several threads.
#ifndef CIRQUE_CAPABILITIES_THREAD_THREAD_MEDIA_H_
#define CIRQUE_CAPABILITIES_THREAD_THREAD_MEDIA_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/home/home_context.h"

namespace cirque::capabilities {

// OpenThread simulation's node ids per medium: 1..33.
inline constexpr int kMaxThreadNodesPerPetition = 33;
inline constexpr int kThreadPortBase = 9000;

// The UDP port a petition's radios listen on, and the one a node sends from.
int ThreadListenPort(int petition);
int ThreadSendPort(int petition, int node_id);

struct ThreadMember {
  std::string node;
  int petition = 0;
  int node_id = 0;
};

class ThreadMedia : public home::HomeResource {
 public:
  static constexpr const char* kResourceKey = "thread.media";

  // A node id on `petition`'s medium for `node`. Throws Error
  // (kInvalidArgument) when the medium already has 33 nodes, or when
  // `time_speed` differs from the home's (the first node's), naming both.
  ThreadMember Join(const std::string& node, int petition, int time_speed);
  // Records `member` as it was given by an earlier process (adoption of a
  // running home): the same checks as Join, and Error (kInvalidArgument)
  // when another node holds its id on its petition.
  void Rejoin(const ThreadMember& member, int time_speed);
  // Frees the node's id (a node keeps it for the home's life otherwise,
  // restarts included). Unknown nodes are ignored.
  void Leave(const std::string& node);
  // The node's membership; Error (kNotFound) when it has none.
  ThreadMember MemberOf(const std::string& node) const;
  std::vector<ThreadMember> Members() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ThreadMember> members_;  // GUARDED_BY(mutex_)
  std::string time_speed_node_;                  // GUARDED_BY(mutex_): who set it
  int time_speed_ = 0;                           // GUARDED_BY(mutex_): 0 until set
};

// The home's media, made on first use.
ThreadMedia& HomeThreadMedia(home::HomeContext& home);

}  // namespace cirque::capabilities

#endif  // CIRQUE_CAPABILITIES_THREAD_THREAD_MEDIA_H_
