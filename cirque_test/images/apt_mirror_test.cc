// Covers finding the mirror in deb822 and one-line apt sources.
#include "cirque_test/images/apt_mirror.h"

#include <gtest/gtest.h>

namespace cirque::images {
namespace {

TEST(MirrorFromAptSourcesTest, ReadsDeb822Stanzas) {
  const char* sources =
      "Types: deb\n"
      "URIs: http://security.example/debian-security\n"
      "Suites: bookworm-security\n"
      "\n"
      "Types: deb\n"
      "# a comment\n"
      "URIs: http://mirror.example/debian\n"
      "Suites: bookworm bookworm-updates\n"
      "Components: main\n";
  EXPECT_EQ(MirrorFromAptSources(sources, "bookworm"), "http://mirror.example/debian");
}

TEST(MirrorFromAptSourcesTest, SkipsDisabledStanzas) {
  const char* sources =
      "Enabled: no\nURIs: http://old.example/debian\nSuites: bookworm\n\n"
      "URIs: http://new.example/debian\nSuites: bookworm\n";
  EXPECT_EQ(MirrorFromAptSources(sources, "bookworm"), "http://new.example/debian");
}

TEST(MirrorFromAptSourcesTest, ReadsOneLineSources) {
  const char* sources =
      "# deb http://commented.example/debian bookworm main\n"
      "deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n";
  EXPECT_EQ(MirrorFromAptSources(sources, "bookworm"), "http://one.example/debian");
}

TEST(MirrorFromAptSourcesTest, NoMatchIsEmpty) {
  EXPECT_EQ(MirrorFromAptSources("URIs: http://x\nSuites: trixie\n", "bookworm"), "");
}

}  // namespace
}  // namespace cirque::images
