#include "capabilities/thread/thread_media.h"

#include <set>

#include "cirque_test/util/error.h"

namespace cirque::capabilities {

int ThreadListenPort(int petition) { return kThreadPortBase + (kMaxThreadNodesPerPetition + 1) * petition; }

int ThreadSendPort(int petition, int node_id) { return ThreadListenPort(petition) + node_id; }

ThreadMember ThreadMedia::Join(const std::string& node, int petition, int time_speed) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = members_.find(node); found != members_.end()) return found->second;
  if (!members_.empty() && time_speed != time_speed_) {
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + node + "': thread.time_speed " + std::to_string(time_speed) + " differs from " +
                    std::to_string(time_speed_) + " of node '" + time_speed_node_ +
                    "': every Thread node of a home runs at the same speed");
  }
  std::set<int> taken;
  for (const auto& [name, member] : members_) {
    if (member.petition == petition) taken.insert(member.node_id);
  }
  int id = 1;
  while (taken.count(id) != 0) ++id;
  if (id > kMaxThreadNodesPerPetition) {
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + node + "': thread_petition " + std::to_string(petition) + " already has " +
                    std::to_string(kMaxThreadNodesPerPetition) +
                    " nodes, OpenThread's simulation limit per medium; put more nodes on another petition");
  }
  if (members_.empty()) {
    time_speed_ = time_speed;
    time_speed_node_ = node;
  }
  ThreadMember member{node, petition, id};
  members_[node] = member;
  return member;
}

void ThreadMedia::Rejoin(const ThreadMember& member, int time_speed) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!members_.empty() && time_speed != time_speed_) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + member.node + "': its radio runs at time speed " +
                                                 std::to_string(time_speed) + ", node '" + time_speed_node_ +
                                                 "''s at " + std::to_string(time_speed_));
  }
  for (const auto& [name, other] : members_) {
    if (name != member.node && other.petition == member.petition && other.node_id == member.node_id) {
      throw Error(ErrorCode::kInvalidArgument, "node '" + member.node + "': its radio's node id " +
                                                   std::to_string(member.node_id) + " on petition " +
                                                   std::to_string(member.petition) + " is node '" + name + "''s too");
    }
  }
  if (member.node_id < 1 || member.node_id > kMaxThreadNodesPerPetition) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + member.node + "': its radio's node id " +
                                                 std::to_string(member.node_id) + " is outside 1.." +
                                                 std::to_string(kMaxThreadNodesPerPetition));
  }
  if (members_.empty()) {
    time_speed_ = time_speed;
    time_speed_node_ = member.node;
  }
  members_[member.node] = member;
}

void ThreadMedia::Leave(const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  members_.erase(node);
}

ThreadMember ThreadMedia::MemberOf(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = members_.find(node);
  if (found == members_.end()) throw Error(ErrorCode::kNotFound, "node '" + node + "' is on no Thread medium");
  return found->second;
}

std::vector<ThreadMember> ThreadMedia::Members() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ThreadMember> members;
  for (const auto& [name, member] : members_) members.push_back(member);
  return members;
}

ThreadMedia& HomeThreadMedia(home::HomeContext& home) {
  return home.Resource<ThreadMedia>(ThreadMedia::kResourceKey, [] { return std::make_unique<ThreadMedia>(); });
}

}  // namespace cirque::capabilities
