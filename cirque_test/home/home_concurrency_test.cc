// Covers home.h's thread-safety promise on the in-memory engine: Exec,
// Describe, node(), SharedNode, RemoveNode and Destroy called from several
// threads at once. A Node& and a SharedNode held across the removal stay
// usable objects; once a removal or Destroy has returned, every call on
// the removed node throws Error (kFailedPrecondition) saying it was removed,
// and lookups by name throw kNotFound. Meant to run under TSan too
// (bazel test --config=tsan), which turns a data race into a failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Each caller makes at least kIterations calls, and goes on until it has
// made kCallsAfterDestroy after Destroy returned (at most kMaxIterations),
// so calls after the removals are made however the threads are scheduled.
constexpr int kIterations = 300;
constexpr int kCallsAfterDestroy = 20;
constexpr int kMaxIterations = 200000;

// Gives each node something to describe and to undo, so Describe and the
// removal meet in a capability too.
class Chatty : public Capability {
 public:
  std::string name() const override { return "Chatty"; }
  void Enable(NodeRuntime& node) override { node.Exec({"echo", "hello"}, std::chrono::seconds(5)); }
  void Disable(NodeRuntime& node) override {
    try {
      node.Exec({"echo", "bye"}, std::chrono::seconds(5));
    } catch (const Error&) {
      // Disable must not throw for a node going away.
    }
  }
  std::map<std::string, std::string> Describe() const override { return {{"mood", "chatty"}}; }
};

// Why a call failed, judged against what had finished before it began.
class Referee {
 public:
  // Lookups (node(), SharedNode) of a node whose removal finished before
  // the call began must say the home has no such node.
  void Lookup(const std::string& node, bool removal_done, const std::function<void()>& call) {
    Judge(node, removal_done, call, ErrorCode::kNotFound, "has no node");
  }
  // Calls on a held node whose removal finished before the call began
  // must say it was removed.
  void OnHeld(const std::string& node, bool removal_done, const std::function<void()>& call) {
    Judge(node, removal_done, call, ErrorCode::kFailedPrecondition, "was removed");
  }
  void Violation(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (violations_.size() < 20) violations_.push_back(what);
  }
  // How many calls failed as promised for a removed node.
  int promised() const { return promised_; }
  std::vector<std::string> violations() {
    std::lock_guard<std::mutex> lock(mutex_);
    return violations_;
  }

 private:
  void Judge(const std::string& node, bool removal_done, const std::function<void()>& call, ErrorCode code,
             const std::string& wording) {
    try {
      call();
      if (removal_done) Violation(node + ": a call after its removal succeeded");
    } catch (const Error& error) {
      bool as_promised = error.code() == code && std::string(error.what()).find(wording) != std::string::npos;
      if (as_promised) ++promised_;
      // Racing the removal, the engine's own answer (no such container, not
      // running) is fair; after it, only the promised one is.
      if (removal_done && !as_promised) Violation(node + ": after removal: " + error.what());
      bool removed_meanwhile = as_promised || error.code() == ErrorCode::kNotFound ||
                               error.code() == ErrorCode::kConflict ||
                               error.code() == ErrorCode::kFailedPrecondition;
      if (!removed_meanwhile) Violation(node + ": unexpected: " + error.what());
    } catch (const std::exception& error) {
      Violation(node + ": not a cirque::Error: " + error.what());
    }
  }
  std::atomic<int> promised_{0};
  std::mutex mutex_;
  std::vector<std::string> violations_;  // GUARDED_BY(mutex_)
};

TEST(HomeConcurrencyTest, CallsRaceRemovalAndDestroySafely) {
  engine::ForgetEngineFacts();
  docker::testing::FakeDockerClient fake;
  CapabilityRegistry registry;
  registry.Register("Chatty", [](const NodeSpec&) { return std::make_unique<Chatty>(); });
  std::vector<NodeSpec> specs;
  for (const char* name : {"x", "y", "z", "w"}) specs.push_back(NodeSpec::Named(name).WithCapability("Chatty"));
  auto home = VirtualHome::Create(testing::HomeOptionsOnFake(fake, registry), specs);

  Node& x_ref = home->node("x");
  std::shared_ptr<Node> x_shared = home->SharedNode("x");
  Node& z_ref = home->node("z");

  // Set once RemoveNode("x") / Destroy() have returned.
  std::atomic<bool> x_removed{false}, destroyed{false};
  std::atomic<int> progress{0};  // iterations done by the callers, all told
  Referee referee;
  auto removal_done = [&](const std::string& node) { return destroyed.load() || (node == "x" && x_removed.load()); };
  // Whether a caller's loop goes on; `after` counts its turns after Destroy.
  auto keep_going = [&](int i, int& after) {
    if (destroyed) ++after;
    return i < kMaxIterations && (i < kIterations || after <= kCallsAfterDestroy);
  };

  std::vector<std::thread> callers;
  // Exec through lookups by name, over every node.
  for (int t = 0; t < 2; ++t) {
    callers.emplace_back([&, t] {
      const char* names[] = {"x", "y", "z", "w"};
      int after = 0;
      for (int i = 0; keep_going(i, after); ++i, ++progress) {
        std::string name = names[(i + t) % 4];
        bool done = removal_done(name);
        referee.Lookup(name, done, [&] {
          Node& node = home->node(name);
          // Found: the node may still go before the exec, so judge the
          // exec as a call on a held node.
          referee.OnHeld(name, removal_done(name), [&] { node.Exec({"true"}); });
        });
      }
    });
  }
  // Describe of the whole home, which walks every node.
  callers.emplace_back([&] {
    int after = 0;
    for (int i = 0; keep_going(i, after); ++i, ++progress) {
      try {
        HomeDescription description = home->Describe();
        for (const auto& node : description.nodes) {
          if (node.name.empty()) referee.Violation("Describe gave a node without a name");
        }
      } catch (const Error&) {
        // A node inspected while the engine removes it; Describe itself
        // does not promise more.
      }
    }
  });
  // The held references, across the removal of x and Destroy.
  callers.emplace_back([&] {
    int after = 0;
    for (int i = 0; keep_going(i, after); ++i, ++progress) {
      referee.OnHeld("x", removal_done("x"), [&] { x_shared->Exec({"true"}); });
      referee.OnHeld("x", removal_done("x"), [&] { x_ref.Logs(); });
      if (x_ref.name() != "x" || z_ref.name() != "z") referee.Violation("a held node changed its name");
      try {
        (void)x_ref.Describe();  // for a removed node it says "removed"
      } catch (const Error& error) {
        referee.Violation(std::string("Describe of held x threw: ") + error.what());
      }
    }
  });
  // SharedNode lookups, kept and used.
  callers.emplace_back([&] {
    int after = 0;
    for (int i = 0; keep_going(i, after); ++i, ++progress) {
      std::string name = i % 2 == 0 ? "x" : "w";
      referee.Lookup(name, removal_done(name), [&] {
        std::shared_ptr<Node> node = home->SharedNode(name);
        referee.OnHeld(name, removal_done(name), [&] { node->Exec({"true"}); });
      });
    }
  });

  // The changes, while the callers run.
  std::thread changer([&] {
    while (progress < kIterations) std::this_thread::yield();
    home->RemoveNode("x");
    x_removed = true;
    while (progress < 2 * kIterations) std::this_thread::yield();
    try {
      home->Destroy();
    } catch (const Error& error) {
      // The fake fails nothing here, so Destroy has nothing to report.
      referee.Violation(std::string("Destroy threw: ") + error.what());
    }
    destroyed = true;
  });

  changer.join();
  for (auto& caller : callers) caller.join();
  EXPECT_THAT(referee.violations(), IsEmpty());
  EXPECT_GT(referee.promised(), 0);  // calls did meet removed nodes

  // After it all: the held objects are still there, and say what happened.
  EXPECT_EQ(x_ref.name(), "x");
  EXPECT_EQ(x_shared->name(), "x");
  EXPECT_EQ(z_ref.name(), "z");
  EXPECT_TRUE(x_ref.removed());
  EXPECT_EQ(z_ref.Describe().state, "removed");
  for (Node* node : {&x_ref, &z_ref}) {
    try {
      node->Exec({"true"});
      ADD_FAILURE() << "exec on removed node " << node->name() << " succeeded";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
      EXPECT_THAT(error.what(), HasSubstr("node '" + node->name() + "'"));
      EXPECT_THAT(error.what(), HasSubstr("was removed"));
    }
  }
  try {
    home->node("z");
    ADD_FAILURE() << "node('z') found after Destroy";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
  EXPECT_TRUE(home->destroyed());
  EXPECT_THAT(fake.LiveContainers(), IsEmpty());
  EXPECT_EQ(testing::LabelledNetworks(fake), 0);
}

}  // namespace
}  // namespace cirque::home
