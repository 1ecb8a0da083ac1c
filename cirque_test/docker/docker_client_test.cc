// Covers the client against a fake engine on a unix socket: version
// negotiation, error mapping, connection reuse, exec and log framing across
// reads, build progress and build failures, transport failures, callbacks
// that throw, answers the client cannot read, and the labels of the
// containers the client makes for itself.
#include "cirque_test/docker/docker_client.h"
#include "cirque_test/util/testing/error_from.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cirque_test/docker/testing/fake_engine.h"
#include "cirque_test/util/error.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::docker {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::FakeEngine;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::Frame;

ClientOptions OptionsFor(const FakeEngine& engine) {
  ClientOptions options;
  options.endpoint = DockerEndpoint::Parse(engine.docker_host());
  return options;
}

TEST(DockerClientTest, NegotiatesTheEngineApiVersion) {
  FakeEngine engine;
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  client.Ping();
  EXPECT_EQ(client.api_version(), "1.41");
  EXPECT_EQ(engine.requests().back().target, "/v1.41/_ping");
}

TEST(DockerClientTest, CapsANewerEngineAtTheNewestKnownVersion) {
  FakeEngine engine;
  engine.Reply("GET", "/version", 200, R"({"ApiVersion":"1.99"})");
  DockerClient client(OptionsFor(engine));
  EXPECT_EQ(client.api_version(), kNewestKnownApiVersion);
}

TEST(DockerClientTest, RefusesAnEngineOlderThan141) {
  FakeEngine engine;
  engine.Reply("GET", "/version", 200, R"({"ApiVersion":"1.40","Version":"19.03"})");
  DockerClient client(OptionsFor(engine));
  Error error = ErrorFrom([&] { client.Ping(); });
  EXPECT_EQ(error.code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("1.40"), HasSubstr("1.41")));
}

TEST(DockerClientTest, Maps404ToNotFoundWithTheEngineMessage) {
  FakeEngine engine;
  engine.Reply("GET", "/containers/nope/json", 404, R"({"message":"No such container: nope"})");
  DockerClient client(OptionsFor(engine));
  Error error = ErrorFrom([&] { client.InspectContainer("nope"); });
  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_EQ(error.http_status(), 404);
  EXPECT_EQ(error.request().method, "GET");
  EXPECT_EQ(error.request().path, "/containers/nope/json");
  EXPECT_EQ(error.request().engine_message, "No such container: nope");
  EXPECT_THAT(error.what(), HasSubstr("No such container: nope"));
}

TEST(DockerClientTest, Maps409ToConflict) {
  FakeEngine engine;
  engine.Reply("POST", "/containers/create", 409,
               R"({"message":"Conflict. The container name \"/n1\" is already in use"})");
  DockerClient client(OptionsFor(engine));
  ContainerSpec spec;
  spec.image = "busybox";
  spec.name = "n1";
  Error error = ErrorFrom([&] { client.CreateContainer(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  EXPECT_EQ(error.request().method, "POST");
  EXPECT_THAT(error.what(), HasSubstr("already in use"));
}

TEST(DockerClientTest, Maps500ToInternalEvenWithoutJson) {
  FakeEngine engine;
  engine.Reply("POST", "/networks/create", 500, "driver failed programming\n");
  DockerClient client(OptionsFor(engine));
  NetworkSpec spec;
  spec.name = "n";
  Error error = ErrorFrom([&] { client.CreateNetwork(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_EQ(error.http_status(), 500);
  EXPECT_EQ(error.request().engine_message, "driver failed programming");
}

TEST(DockerClientTest, NoEngineIsUnavailableAndNamesTheFix) {
  ClientOptions options;
  options.endpoint = DockerEndpoint::Parse("unix:///nonexistent/docker.sock");
  DockerClient client(options);
  Error error = ErrorFrom([&] { client.Ping(); });
  EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("/nonexistent/docker.sock"), HasSubstr("tools/setup")));
}

TEST(DockerClientTest, ReusesOneConnectionForSequentialRequests) {
  FakeEngine engine;
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  for (int i = 0; i < 5; ++i) client.Ping();
  EXPECT_EQ(engine.connections_accepted(), 1);
}

TEST(DockerClientTest, SendsCreateBodyAsJson) {
  FakeEngine engine;
  engine.Reply("POST", "/containers/create", 201, R"({"Id":"c1","Warnings":[]})");
  DockerClient client(OptionsFor(engine));
  ContainerSpec spec;
  spec.image = "busybox";
  spec.name = "node 1";
  spec.process.cmd = {"sleep", "1"};
  EXPECT_EQ(client.CreateContainer(spec), "c1");
  FakeRequest sent = engine.requests().back();
  EXPECT_EQ(sent.target, "/v1.41/containers/create?name=node%201");
  EXPECT_EQ(sent.headers["content-type"], "application/json");
  EXPECT_THAT(sent.body, HasSubstr(R"("Cmd":["sleep","1"])"));
}

// An exec whose multiplexed output arrives in pieces that split frames.
void ServeExec(FakeEngine& engine, std::vector<std::string> pieces, int exit_code) {
  engine.Reply("POST", "/containers/c1/exec", 201, R"({"Id":"e1"})");
  engine.On("POST", "/exec/e1/start", [pieces](const FakeRequest&) {
    return FakeResponse{200, "application/vnd.docker.raw-stream", pieces};
  });
  engine.Reply("GET", "/exec/e1/json",
               200, R"({"Running":false,"ExitCode":)" + std::to_string(exit_code) + "}");
}

TEST(DockerClientTest, ExecDemultiplexesFramesSplitAcrossReads) {
  FakeEngine engine;
  std::string stream = Frame(1, "line one\n") + Frame(2, "warning\n") + Frame(1, "line two\n");
  ServeExec(engine, {stream.substr(0, 5), stream.substr(5, 15), stream.substr(20)}, 3);
  DockerClient client(OptionsFor(engine));
  std::string streamed;
  ExecSpec spec;
  spec.cmd = {"sh", "-c", "echo"};
  spec.on_output = [&](OutputStream, std::string_view data) { streamed.append(data); };
  ExecResult result = client.Exec("c1", spec);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.stdout_text, "line one\nline two\n");
  EXPECT_EQ(result.stderr_text, "warning\n");
  EXPECT_EQ(streamed, "line one\nwarning\nline two\n");
}

TEST(DockerClientTest, ExecCarriesLargeOutput) {
  FakeEngine engine;
  std::string big(2 * 1024 * 1024, 'z');
  std::string stream = Frame(1, big) + Frame(2, "done");
  ServeExec(engine, {stream.substr(0, 100000), stream.substr(100000)}, 0);
  DockerClient client(OptionsFor(engine));
  ExecSpec spec;
  spec.cmd = {"cat", "/big"};
  ExecResult result = client.Exec("c1", spec);
  EXPECT_EQ(result.stdout_text.size(), big.size());
  EXPECT_EQ(result.stderr_text, "done");
}

TEST(DockerClientTest, ExecKeepsAtMostMaxOutputBytesOfEachStreamAndCountsTheRest) {
  FakeEngine engine;
  std::string stream = Frame(1, std::string(700, 'o')) + Frame(2, "e1") + Frame(1, std::string(700, 'p')) +
                       Frame(2, "e2");
  ServeExec(engine, {stream}, 0);
  DockerClient client(OptionsFor(engine));
  size_t streamed = 0;
  ExecSpec spec;
  spec.cmd = {"yes"};
  spec.max_output_bytes = 1000;
  spec.on_output = [&](OutputStream, std::string_view data) { streamed += data.size(); };
  ExecResult result = client.Exec("c1", spec);
  EXPECT_EQ(result.stdout_text, std::string(700, 'o') + std::string(300, 'p'));
  EXPECT_EQ(result.stderr_text, "e1e2");
  EXPECT_EQ(result.dropped_bytes, 400u);
  EXPECT_EQ(streamed, 1404u);  // the callback sees everything
}

TEST(DockerClientTest, ExecSendsEnvUserAndWorkdir) {
  FakeEngine engine;
  ServeExec(engine, {Frame(1, "x"), ""}, 0);
  DockerClient client(OptionsFor(engine));
  ExecSpec spec;
  spec.cmd = {"env"};
  spec.env = {"MODE=test"};
  spec.user = "nobody";
  spec.working_dir = "/tmp";
  client.Exec("c1", spec);
  std::string body;
  for (const auto& request : engine.requests()) {
    if (request.path == "/containers/c1/exec") body = request.body;
  }
  EXPECT_THAT(body, AllOf(HasSubstr(R"("Env":["MODE=test"])"), HasSubstr(R"("User":"nobody")"),
                          HasSubstr(R"("WorkingDir":"/tmp")")));
}

TEST(DockerClientTest, LogsAreDemultiplexedAndTailIsPassedThrough) {
  FakeEngine engine;
  engine.Reply("GET", "/containers/c1/json", 200, R"({"Id":"c1","Config":{"Tty":false}})");
  engine.On("GET", "/containers/c1/logs", [](const FakeRequest&) {
    std::string stream = Frame(1, "out\n") + Frame(2, "err\n");
    return FakeResponse{200, "application/octet-stream", {stream.substr(0, 3), stream.substr(3)}};
  });
  DockerClient client(OptionsFor(engine));
  LogOptions options;
  options.tail = 0;
  ContainerLogs logs = client.Logs("c1", options);
  EXPECT_EQ(logs.stdout_text, "out\n");
  EXPECT_EQ(logs.stderr_text, "err\n");
  EXPECT_THAT(engine.requests().back().target, HasSubstr("tail=0"));
}

TEST(DockerClientTest, BuildStreamsProgressAndReturnsTheImageId) {
  FakeEngine engine;
  engine.On("POST", "/build", [](const FakeRequest&) {
    return FakeResponse{200, "application/json",
                        {R"({"stream":"Step 1/2 : FROM base\n"})" "\r\n" R"({"stream":"Step 2/)",
                         R"(2 : RUN true\n"})" "\r\n" R"({"aux":{"ID":"sha256:abc"}})" "\r\n"}};
  });
  DockerClient client(OptionsFor(engine));
  TarWriter context;
  context.AddFile("Dockerfile", "FROM base\nRUN true\n");
  std::string tar = context.Finish();
  std::vector<std::string> lines;
  BuildSpec spec;
  spec.context = TarFromString(tar);
  spec.tags = {"cirque/x:1"};
  spec.build_args = {{"MIRROR", "http://m"}};
  spec.on_progress = [&](std::string_view line) { lines.emplace_back(line); };
  EXPECT_EQ(client.BuildImage(spec), "sha256:abc");
  EXPECT_THAT(lines, ::testing::ElementsAre("Step 1/2 : FROM base", "Step 2/2 : RUN true"));
  FakeRequest sent = engine.requests().back();
  EXPECT_EQ(sent.body, tar);
  EXPECT_EQ(sent.headers["content-type"], "application/x-tar");
  EXPECT_THAT(sent.target, AllOf(HasSubstr("t=cirque%2Fx%3A1"), HasSubstr("buildargs=")));
}

TEST(DockerClientTest, BuildFailureCarriesTheBuildsOwnError) {
  FakeEngine engine;
  engine.Reply("POST", "/build", 200,
               R"({"stream":"Step 2/2 : RUN false\n"})" "\n"
               R"({"stream":" ---> Running in 1234\n"})" "\n"
               R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},)"
               R"("error":"The command '/bin/sh -c false' returned a non-zero code: 1"})" "\n");
  DockerClient client(OptionsFor(engine));
  std::string tar = TarWriter().Finish();
  BuildSpec spec;
  spec.context = TarFromString(tar);
  spec.tags = {"cirque/broken:1"};
  Error error = ErrorFrom([&] { client.BuildImage(spec); });
  EXPECT_THAT(error.what(), AllOf(HasSubstr("cirque/broken:1"), HasSubstr("returned a non-zero code"),
                                  HasSubstr("Step 2/2 : RUN false")));
}

// --- Callbacks that throw -----------------------------------------------------

TEST(DockerClientTest, ExecOutputCallbackThrowingIsAnErrorAndTheClientGoesOn) {
  FakeEngine engine;
  ServeExec(engine, {Frame(1, "first\n"), Frame(1, "second\n")}, 0);
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  ExecSpec spec;
  spec.cmd = {"cat", "/log"};
  spec.on_output = [](OutputStream, std::string_view) {
    throw std::runtime_error("the viewer went away");
  };
  Error error = ErrorFrom([&] { client.Exec("c1", spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("the viewer went away"), HasSubstr("/exec/e1/start")));
  // The aborted transfer left nothing behind that breaks the next requests.
  client.Ping();
  spec.on_output = nullptr;
  EXPECT_EQ(client.Exec("c1", spec).stdout_text, "first\nsecond\n");
}

TEST(DockerClientTest, ExecOutputCallbackThrowingACirqueErrorKeepsIt) {
  FakeEngine engine;
  ServeExec(engine, {Frame(1, "first\n"), Frame(1, "second\n")}, 0);
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  ExecSpec spec;
  spec.cmd = {"cat", "/log"};
  spec.on_output = [](OutputStream, std::string_view) {
    throw Error(ErrorCode::kConflict, "seen enough");
  };
  Error error = ErrorFrom([&] { client.Exec("c1", spec); });
  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  EXPECT_STREQ(error.what(), "seen enough");
  client.Ping();
}

TEST(DockerClientTest, BuildProgressCallbackThrowingIsAnError) {
  FakeEngine engine;
  engine.Reply("POST", "/build", 200, R"({"stream":"Step 1/1 : FROM base\n"})" "\n");
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  std::string tar = TarWriter().Finish();
  BuildSpec spec;
  spec.context = TarFromString(tar);
  spec.on_progress = [](std::string_view) { throw std::logic_error("progress bar broke"); };
  Error error = ErrorFrom([&] { client.BuildImage(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("progress bar broke"), HasSubstr("/build")));
  client.Ping();
}

TEST(DockerClientTest, TarSourceThrowingAbortsTheUpload) {
  FakeEngine engine;
  engine.Reply("POST", "/build", 200, R"({"aux":{"ID":"sha256:abc"}})" "\n");
  engine.Reply("GET", "/_ping", 200, "OK");
  DockerClient client(OptionsFor(engine));
  BuildSpec spec;
  spec.context = [](char*, size_t) -> size_t { throw std::runtime_error("context unreadable"); };
  Error error = ErrorFrom([&] { client.BuildImage(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("context unreadable"), HasSubstr("/build")));
  client.Ping();
}

// --- Answers the client cannot read -------------------------------------------

TEST(DockerClientTest, FieldOfTheWrongTypeIsAnErrorNamingRequestAndField) {
  FakeEngine engine;
  engine.Reply("POST", "/containers/create", 201, R"({"Id":5,"Warnings":[]})");
  DockerClient client(OptionsFor(engine));
  ContainerSpec spec;
  spec.image = "busybox";
  Error error = ErrorFrom([&] { client.CreateContainer(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("POST /containers/create"), HasSubstr("'Id': 5"),
                                  HasSubstr("string")));
}

TEST(DockerClientTest, LabelThatIsNotAStringIsAnError) {
  FakeEngine engine;
  engine.Reply("GET", "/containers/c1/json", 200,
               R"({"Id":"c1","Config":{"Labels":{"cirque.home":7}}})");
  DockerClient client(OptionsFor(engine));
  Error error = ErrorFrom([&] { client.InspectContainer("c1"); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("GET /containers/{id}/json"), HasSubstr("Labels"),
                                  HasSubstr(R"({"cirque.home":7})")));
}

TEST(DockerClientTest, ListAnswerThatIsNotAnArrayIsAnError) {
  FakeEngine engine;
  engine.Reply("GET", "/containers/json", 200, R"({"Id":"c1"})");
  DockerClient client(OptionsFor(engine));
  Error error = ErrorFrom([&] { client.ListContainers({}); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("GET /containers/json"), HasSubstr("array")));
}

TEST(DockerClientTest, ExecStateOfTheWrongTypeIsAnError) {
  FakeEngine engine;
  ServeExec(engine, {Frame(1, "x"), ""}, 0);
  engine.Reply("GET", "/exec/e1/json", 200, R"({"Running":"no","ExitCode":0})");
  DockerClient client(OptionsFor(engine));
  ExecSpec spec;
  spec.cmd = {"true"};
  Error error = ErrorFrom([&] { client.Exec("c1", spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("GET /exec/{id}/json"), HasSubstr("'Running': \"no\"")));
}

TEST(DockerClientTest, BuildEventOfTheWrongTypeIsAnError) {
  FakeEngine engine;
  engine.Reply("POST", "/build", 200, R"({"aux":{"ID":7}})" "\n");
  DockerClient client(OptionsFor(engine));
  std::string tar = TarWriter().Finish();
  BuildSpec spec;
  spec.context = TarFromString(tar);
  Error error = ErrorFrom([&] { client.BuildImage(spec); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("POST /build"), HasSubstr("'ID': 7")));
}

TEST(DockerClientTest, AnswerThatIsNotJsonIsAnError) {
  FakeEngine engine;
  engine.Reply("GET", "/networks/n1", 200, "<html>proxy login</html>");
  DockerClient client(OptionsFor(engine));
  Error error = ErrorFrom([&] { client.InspectNetwork("n1"); });
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("GET /networks/{id}"), HasSubstr("proxy login")));
}

// --- Containers the client makes for itself -----------------------------------

TEST(DockerClientTest, ExecKillerCarriesTheHelperLabels) {
  FakeEngine engine;
  engine.Reply("POST", "/containers/c1/exec", 201, R"({"Id":"e1"})");
  // Output keeps trickling in for two seconds, well past the deadline.
  engine.On("POST", "/exec/e1/start", [](const FakeRequest&) {
    return FakeResponse{200, "application/vnd.docker.raw-stream",
                        std::vector<std::string>(100, Frame(1, "."))};
  });
  // A pid no process can have, so that the client never signals one itself
  // and takes the helper-container path.
  engine.Reply("GET", "/exec/e1/json", 200, R"({"Running":true,"Pid":2000000000})");
  engine.Reply("GET", "/containers/c1/json", 200, R"({"Id":"c1","Image":"sha256:target"})");
  engine.Reply("POST", "/containers/create", 201, R"({"Id":"k1","Warnings":[]})");
  engine.Reply("POST", "/containers/k1/start", 204, "");
  engine.Reply("POST", "/containers/k1/wait", 200, R"({"StatusCode":0})");
  engine.Reply("DELETE", "/containers/k1", 204, "");
  ClientOptions options = OptionsFor(engine);
  options.helper_labels = {{"cirque.run", "r42"}, {"cirque.role", "not-the-clients"}};
  DockerClient client(options);
  ExecSpec spec;
  spec.cmd = {"sleep", "60"};
  spec.deadline = std::chrono::milliseconds(300);

  Error error = ErrorFrom([&] { client.Exec("c1", spec); });
  EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(error.what(), HasSubstr("was killed"));
  std::string create_body;
  bool removed = false;
  for (const auto& request : engine.requests()) {
    if (request.path == "/containers/create") create_body = request.body;
    if (request.method == "DELETE" && request.path == "/containers/k1") removed = true;
  }
  EXPECT_THAT(create_body,
              AllOf(HasSubstr(R"("Labels":{"cirque.role":"exec-killer","cirque.run":"r42"})"),
                    HasSubstr(R"("Image":"sha256:target")")));
  // The killer takes the process's children too, and gets the pid alone.
  EXPECT_THAT(create_body, AllOf(HasSubstr(R"("Entrypoint":["sh","-c",)"), HasSubstr("kill_tree"),
                                 HasSubstr(R"("Cmd":["2000000000"])")));
  EXPECT_TRUE(removed);
}

}  // namespace
}  // namespace cirque::docker
