#include "service/home_registry.h"

#include <future>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/docker/testing/fake_docker_client.h"
#include "cirque_test/home/home.h"
#include "cirque_test/home/testing/home_on_fake.h"
#include "cirque_test/util/error.h"
#include "service/service_on_fake.h"

namespace cirque::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kInternal;
}

TEST(HomeRegistryTest, HomesAreListedInOrderFoundAndDestroyed) {
  testing::ServiceOnFake service;
  HomeRegistry& homes = service.homes();
  std::string first = homes.CreateFromJson(R"({"a": {"type": "generic"}})");
  std::string second = homes.CreateFromJson(R"({"b": {"type": "generic"}})");
  EXPECT_NE(first, second);
  EXPECT_THAT(homes.Ids(), ElementsAre(first, second));
  EXPECT_EQ(FindDevice(*homes.Find(second), "b")->name(), "b");
  homes.Destroy(first);
  EXPECT_THAT(homes.Ids(), ElementsAre(second));
  EXPECT_EQ(CodeOf([&] { homes.Find(first); }), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf([&] { homes.Destroy(first); }), ErrorCode::kNotFound);
  EXPECT_THAT(homes.DestroyAll(), IsEmpty());
  EXPECT_THAT(service.fake().LiveContainers(), IsEmpty());
}

// A request that found a home keeps using it while another destroys it:
// its node calls fail with a clear error, nothing crashes.
TEST(HomeRegistryTest, ARequestRacingADeleteGetsAnErrorNotACrash) {
  testing::ServiceOnFake service;
  HomeRegistry& homes = service.homes();
  std::string id = homes.CreateFromJson(R"({"n": {"type": "generic"}})");
  std::shared_ptr<home::VirtualHome> held = homes.Find(id);
  std::shared_ptr<home::Node> node = FindDevice(*held, "n");
  homes.Destroy(id);
  try {
    node->Exec({"true"});
    ADD_FAILURE() << "exec in a destroyed home succeeded";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("n"));
  }
}

TEST(HomeRegistryTest, ParallelCreatesAndDeletesEachGetAResultOrAClearError) {
  testing::ServiceOnFake service;
  HomeRegistry& homes = service.homes();
  std::vector<std::future<std::string>> made;
  for (int i = 0; i < 10; ++i) {
    made.push_back(std::async(std::launch::async, [&homes, i] {
      return homes.CreateFromJson(R"({"n)" + std::to_string(i) + R"(": {"type": "generic"}})");
    }));
  }
  std::vector<std::string> ids;
  for (auto& id : made) ids.push_back(id.get());
  EXPECT_EQ(homes.Ids().size(), 10u);
  std::vector<std::future<void>> deleted;
  for (const auto& id : ids) {
    for (int twice = 0; twice < 2; ++twice) {
      deleted.push_back(std::async(std::launch::async, [&homes, id] {
        try {
          homes.Destroy(id);
        } catch (const Error& error) {
          EXPECT_EQ(error.code(), ErrorCode::kNotFound) << error.what();
        }
      }));
    }
  }
  for (auto& done : deleted) done.get();
  EXPECT_THAT(homes.Ids(), IsEmpty());
  EXPECT_THAT(service.fake().LiveContainers(), IsEmpty());
}

TEST(HomeRegistryTest, ASpecCheckRefusesBeforeAnythingIsMade) {
  home::CapabilityRegistry capabilities;
  int made = 0;
  HomeRegistry homes(
      capabilities,
      [&made](const std::string&, const std::vector<home::NodeSpec>&) -> std::unique_ptr<home::VirtualHome> {
        ++made;
        return nullptr;
      },
      [](const std::vector<home::NodeSpec>&) { throw Error(ErrorCode::kInvalidArgument, "mount refused"); });
  EXPECT_EQ(CodeOf([&] { homes.CreateFromJson(R"({"n": {}})"); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(made, 0);
}

TEST(HomeRegistryTest, AddNodeAddsToARunningHomeAfterTheSpecCheck) {
  docker::testing::FakeDockerClient fake;
  home::CapabilityRegistry capabilities;
  HomeRegistry homes(
      capabilities,
      [&](const std::string& name, const std::vector<home::NodeSpec>& nodes) {
        return home::VirtualHome::Create(home::testing::HomeOptionsOnFake(fake, capabilities, {}, name), nodes);
      },
      [](const std::vector<home::NodeSpec>& nodes) {
        for (const auto& node : nodes) {
          if (node.name == "refused") throw Error(ErrorCode::kInvalidArgument, "node 'refused' refused");
        }
      });
  std::string id = homes.Create({});
  EXPECT_EQ(homes.AddNode(id, home::NodeSpec::Named("b"))->name(), "b");
  EXPECT_THAT(homes.Find(id)->NodeNames(), ElementsAre("b"));
  EXPECT_EQ(CodeOf([&] { homes.AddNode(id, home::NodeSpec::Named("refused")); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf([&] { homes.AddNode("nope", home::NodeSpec::Named("c")); }), ErrorCode::kNotFound);
  EXPECT_THAT(homes.Find(id)->NodeNames(), ElementsAre("b"));
  EXPECT_THAT(homes.DestroyAll(), IsEmpty());
  EXPECT_THAT(fake.LiveContainers(), IsEmpty());
}

}  // namespace
}  // namespace cirque::service
