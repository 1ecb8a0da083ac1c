// The lasting owner of a service's homes: its text, its lock, and when the
// reaper may call it gone. Needs no Docker daemon.
#include "cirque_test/home/service_owner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <chrono>
#include <filesystem>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/testing/error_from.h"

namespace cirque::home {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string FreshFolder(const std::string& name) {
  std::string folder = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::remove_all(folder);
  return folder;
}

TEST(ServiceOwnerTest, HeldWhileTheLockLivesAndGoneAfter) {
  const std::string folder = FreshFolder("held");
  std::string owner;
  {
    ServiceOwnerLock lock = ServiceOwnerLock::Acquire(folder);
    owner = lock.owner_text();
    EXPECT_EQ(owner, "service@" + CurrentOwner().host + ":" + folder);
    EXPECT_FALSE(ServiceOwnerIsGone(owner)) << "a running service's homes are never leftovers";
  }
  EXPECT_TRUE(ServiceOwnerIsGone(owner)) << "no service holds the folder any more";
  ServiceOwnerLock again = ServiceOwnerLock::Acquire(folder);
  EXPECT_FALSE(ServiceOwnerIsGone(owner)) << "the next start holds it again";
}

TEST(ServiceOwnerTest, ASecondServiceOnOneFolderIsRefusedNamingTheFirst) {
  const std::string folder = FreshFolder("twice");
  ServiceOwnerLock first = ServiceOwnerLock::Acquire(folder);
  Error error = ErrorFrom([&] { ServiceOwnerLock::Acquire(folder + "/"); });
  EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(error.what(), AllOf(HasSubstr(folder), HasSubstr("pid " + std::to_string(CurrentOwner().pid)),
                                  HasSubstr("--state-dir")));
}

TEST(ServiceOwnerTest, TheCommandLinesHomesAreNeverGoneAndItsCommandsTakeTurns) {
  const std::string folder = FreshFolder("cli");
  std::string owner;
  {
    ServiceOwnerLock lock = ServiceOwnerLock::Acquire(folder, OwnerKind::kCommandLine);
    owner = lock.owner_text();
    EXPECT_EQ(owner, "cli@" + CurrentOwner().host + ":" + folder);
    // The next command waits for the lock, for as long as it was told.
    auto start = std::chrono::steady_clock::now();
    Error error = ErrorFrom([&] {
      ServiceOwnerLock::Acquire(folder, OwnerKind::kCommandLine, std::chrono::milliseconds(300));
    });
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("another cirque command"), HasSubstr("300 ms")));
  }
  // Homes made from the command line outlive every command: no reaper
  // may take them while no command runs.
  EXPECT_FALSE(ServiceOwnerIsGone(owner));
  EXPECT_FALSE(OwnerIsGone(owner));
}

TEST(ServiceOwnerTest, AFolderTheLabelsCannotCarryIsRefused) {
  Error error = ErrorFrom([] { ServiceOwnerLock::Acquire("/tmp/with space"); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("'/tmp/with space'"), HasSubstr("--state-dir")));
}

TEST(ServiceOwnerTest, OnlyThisHostsUnheldServiceOwnersAreGone) {
  EXPECT_FALSE(ServiceOwnerIsGone(CurrentOwner().ToString())) << "a process owner is not a service's";
  EXPECT_FALSE(ServiceOwnerIsGone("service@another-host:/var/lib/cirque"));
  EXPECT_FALSE(ServiceOwnerIsGone("junk"));
  EXPECT_TRUE(ServiceOwnerIsGone(ServiceOwnerText(FreshFolder("never-made"))));
  // Process owners' rules never mistake a service's text for one of theirs.
  EXPECT_FALSE(OwnerIsGone(ServiceOwnerText("/var/lib/cirque")));
}

TEST(ServiceOwnerTest, WhatAProcessMakesCarriesTheOwnerItDeclared) {
  const std::string before = CurrentOwnerText();
  EXPECT_EQ(HomeLabels("h")[kOwnerLabel], CurrentOwner().ToString());
  SetProcessOwner(ServiceOwnerText("/srv/cirque"));
  EXPECT_EQ(HomeLabels("h")[kOwnerLabel], ServiceOwnerText("/srv/cirque"));
  SetProcessOwner(before);
}

}  // namespace
}  // namespace cirque::home
