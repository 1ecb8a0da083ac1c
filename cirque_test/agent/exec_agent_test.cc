// The exec agent run here as a plain process: requests on its stdin, its
// records parsed from its stdout. The same binary runs in nodes.
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/agent/exec_agent_protocol.h"
#include "cirque_test/util/runfile.h"
#include "cirque_test/util/subprocess.h"

namespace cirque::agent {
namespace {

using ::testing::HasSubstr;

struct Answer {
  std::string out, err;
  int exit_code = -1;
  bool killed = false;
};

struct Session {
  std::string hello;
  std::vector<Answer> answers;
  std::string trailing;  // bytes after the last whole record
  int agent_exit = -1;
  double seconds = 0;
};

Session RunAgent(const std::string& input) {
  std::string agent = FindCirqueRunfile("cirque_test/agent/cirque_exec_agent");
  EXPECT_FALSE(agent.empty());
  const auto start = std::chrono::steady_clock::now();
  ProcessResult result = RunProcess({agent}, {.deadline = std::chrono::seconds(30), .stdin_data = input});
  Session session;
  session.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  session.agent_exit = result.exit_code;
  RecordReader reader;
  reader.Feed(result.stdout_text);
  Answer current;
  while (auto record = reader.Next()) {
    if (record->kind == kHello) session.hello = record->payload;
    if (record->kind == kStdout) current.out += record->payload;
    if (record->kind == kStderr) current.err += record->payload;
    if (record->kind == kExit) {
      EXPECT_TRUE(DecodeExit(record->payload, &current.exit_code, &current.killed));
      session.answers.push_back(current);
      current = {};
    }
  }
  session.trailing = reader.Empty() ? "" : "partial record";
  return session;
}

std::string Request(std::vector<std::string> argv, uint32_t deadline_ms = 10000) {
  return EncodeCommand({deadline_ms, std::move(argv)});
}

TEST(ExecAgentProtocolTest, CommandsSurviveEncoding) {
  Command command{1234, {"sh", "-c", "echo \"$1\"", "x", "", std::string(100000, 'a')}};
  std::string request = EncodeCommand(command);
  ASSERT_EQ(ReadU32(request), request.size() - 4);
  std::optional<Command> back = DecodeCommand(std::string_view(request).substr(4));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->deadline_ms, 1234u);
  EXPECT_EQ(back->argv, command.argv);
}

TEST(ExecAgentProtocolTest, MalformedCommandsAreRefused) {
  std::string request = EncodeCommand({10, {"true"}});
  std::string_view payload = std::string_view(request).substr(4);
  EXPECT_FALSE(DecodeCommand(payload.substr(0, payload.size() - 1)).has_value()) << "cut short";
  EXPECT_FALSE(DecodeCommand(std::string(payload) + "x").has_value()) << "bytes left over";
  EXPECT_FALSE(DecodeCommand(EncodeCommand({10, {}}).substr(4)).has_value()) << "no argv";
  EXPECT_FALSE(DecodeCommand(EncodeCommand({10, {std::string("a\0b", 3)}}).substr(4)).has_value()) << "a NUL";
  EXPECT_EQ(EncodeCommand({10, {std::string(kMaxRequestBytes + 1, 'a')}}), "") << "too big";
}

TEST(ExecAgentProtocolTest, RecordsArriveWhicheverWayTheStreamIsCut) {
  std::string stream = EncodeRecord(kStdout, "hello") + EncodeExit(3, true);
  RecordReader reader;
  std::vector<Record> records;
  for (char byte : stream) {
    reader.Feed(std::string_view(&byte, 1));
    while (auto record = reader.Next()) records.push_back(*record);
  }
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].payload, "hello");
  int code = 0;
  bool killed = false;
  ASSERT_TRUE(DecodeExit(records[1].payload, &code, &killed));
  EXPECT_EQ(code, 3);
  EXPECT_TRUE(killed);
  EXPECT_TRUE(reader.Empty());
}

TEST(ExecAgentTest, RunsCommandsInTurnKeepingTheirStreamsAndExitCodes) {
  Session session = RunAgent(Request({"sh", "-c", "echo out; echo err >&2; exit 7"}) +
                             Request({"printf", "%s|", "two words", "$HOME", ""}) + Request({"true"}));
  EXPECT_EQ(session.hello, kAgentVersion);
  ASSERT_EQ(session.answers.size(), 3u);
  EXPECT_EQ(session.answers[0].out, "out\n");
  EXPECT_EQ(session.answers[0].err, "err\n");
  EXPECT_EQ(session.answers[0].exit_code, 7);
  EXPECT_EQ(session.answers[1].out, "two words|$HOME||") << "argv is passed as it is, never to a shell";
  EXPECT_EQ(session.answers[2].exit_code, 0);
  EXPECT_FALSE(session.answers[2].killed);
  EXPECT_EQ(session.agent_exit, 0) << "the agent ends when its input does";
  EXPECT_EQ(session.trailing, "");
}

TEST(ExecAgentTest, AMissingProgramExits127SayingSo) {
  Session session = RunAgent(Request({"no-such-program-here"}));
  ASSERT_EQ(session.answers.size(), 1u);
  EXPECT_EQ(session.answers[0].exit_code, 127);
  EXPECT_THAT(session.answers[0].err, HasSubstr("\"no-such-program-here\": executable file not found in $PATH"));
}

TEST(ExecAgentTest, ACommandPastItsDeadlineIsKilledWithWhatItStarted) {
  Session session = RunAgent(Request({"sh", "-c", "echo started; sleep 20; echo never"}, 300) + Request({"echo", "next"}));
  ASSERT_EQ(session.answers.size(), 2u);
  EXPECT_TRUE(session.answers[0].killed);
  EXPECT_EQ(session.answers[0].exit_code, 128 + 9);
  EXPECT_EQ(session.answers[0].out, "started\n");
  EXPECT_EQ(session.answers[1].out, "next\n") << "the agent goes on after a kill";
  EXPECT_LT(session.seconds, 10) << "the sleep must have died with its shell";
}

TEST(ExecAgentTest, ABackgroundChildHoldingTheOutputDoesNotHoldTheAnswer) {
  // As with docker exec: the command is over when its process exits.
  Session session = RunAgent(Request({"sh", "-c", "sleep 20 & echo done"}));
  ASSERT_EQ(session.answers.size(), 1u);
  EXPECT_EQ(session.answers[0].out, "done\n");
  EXPECT_EQ(session.answers[0].exit_code, 0);
  EXPECT_LT(session.seconds, 10);
}

TEST(ExecAgentTest, LargeOutputComesWhole) {
  Session session = RunAgent(Request({"head", "-c", "3000000", "/dev/zero"}));
  ASSERT_EQ(session.answers.size(), 1u);
  EXPECT_EQ(session.answers[0].out.size(), 3000000u);
}

TEST(ExecAgentTest, AMalformedRequestStopsTheAgentSayingWhy) {
  std::string bad;
  AppendU32(bad, 3);
  bad += "abc";
  Session session = RunAgent(bad + Request({"true"}));
  ASSERT_EQ(session.answers.size(), 1u) << "nothing after the malformed request runs";
  EXPECT_EQ(session.answers[0].exit_code, 126);
  EXPECT_THAT(session.answers[0].err, HasSubstr("malformed request of 3 bytes"));
  EXPECT_EQ(session.agent_exit, 2);
}

}  // namespace
}  // namespace cirque::agent
