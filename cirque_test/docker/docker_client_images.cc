// DockerClient: images (import, build, inspect, list, tag, remove).
#include <cstring>
#include <deque>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/docker/internal/http_transport.h"
#include "cirque_test/docker/internal/json_lines.h"
#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/docker/internal/url.h"
#include "cirque_test/util/error.h"

namespace cirque::docker {

using internal::HttpRequest;
using internal::Json;
using internal::WithQuery;

namespace {

constexpr size_t kBuildOutputLinesKept = 15;
constexpr std::chrono::minutes kBuildDeadline{30};

// Follows a build or import progress stream: remembers the image id, the
// last lines of output, and the first error the engine reported. Feed runs
// inside the transport's body callback; what it throws (an event it cannot
// read, or on_progress's own exception) aborts the request, and Send
// rethrows it.
class ProgressStream {
 public:
  // `request` ("POST /build") names the stream in errors.
  ProgressStream(std::string request, std::function<void(std::string_view)> on_progress)
      : request_(std::move(request)),
        on_progress_(std::move(on_progress)),
        splitter_([this](std::string_view line) { OnLine(line); }) {}

  void Feed(std::string_view data) { splitter_.Feed(data); }
  void Finish() { splitter_.Finish(); }

  const std::string& error() const { return error_; }
  const std::string& image_id() const { return image_id_; }
  const std::string& last_status() const { return last_status_; }
  std::string RecentOutput() const {
    std::string text;
    for (const auto& line : recent_) text += "  | " + line + "\n";
    return text;
  }

 private:
  void OnLine(std::string_view line) {
    Json event = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) {
      Emit(std::string(line));
      return;
    }
    if (auto error = event.find("error"); error != event.end() && error_.empty()) {
      error_ = error->is_string() ? error->get<std::string>() : error->dump();
    }
    if (auto aux = event.find("aux"); aux != event.end() && aux->is_object()) {
      image_id_ = internal::ReadAnswer(*aux, request_, [this](const Json& fields) {
        return internal::ValueOr<std::string>(fields, "ID", image_id_);
      });
    }
    if (auto stream = event.find("stream"); stream != event.end() && stream->is_string()) {
      // A stream event may hold several lines, or part of one.
      partial_ += stream->get<std::string>();
      size_t newline;
      while ((newline = partial_.find('\n')) != std::string::npos) {
        Emit(partial_.substr(0, newline));
        partial_.erase(0, newline + 1);
      }
    }
    if (auto status = event.find("status"); status != event.end() && status->is_string()) {
      last_status_ = status->get<std::string>();
      Emit(last_status_);
    }
  }

  void Emit(std::string line) {
    if (on_progress_) on_progress_(line);
    recent_.push_back(std::move(line));
    if (recent_.size() > kBuildOutputLinesKept) recent_.pop_front();
  }

  std::string request_;
  std::function<void(std::string_view)> on_progress_;
  internal::JsonLineSplitter splitter_;
  std::string error_, image_id_, last_status_, partial_;
  std::deque<std::string> recent_;
};

// A POST that streams a tar up and the engine's progress down.
HttpRequest TarUpload(std::string target, const TarSource& tar, ProgressStream& progress) {
  HttpRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.content_type = "application/x-tar";
  request.body_source = tar;
  request.timeout = kBuildDeadline;
  request.on_body = [&progress](std::string_view data) { progress.Feed(data); };
  return request;
}

}  // namespace

TarSource TarFromString(const std::string& tar) {
  auto offset = std::make_shared<size_t>(0);
  return [&tar, offset](char* buffer, size_t capacity) {
    size_t n = std::min(capacity, tar.size() - *offset);
    std::memcpy(buffer, tar.data() + *offset, n);
    *offset += n;
    return n;
  };
}

std::string DockerClient::ImportImage(const ImportSpec& spec) {
  if (!spec.root_filesystem || spec.repository.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "import: root_filesystem and repository are required (repository='" +
                    spec.repository + "')");
  }
  std::vector<std::pair<std::string, std::string>> query = {
      {"fromSrc", "-"}, {"repo", spec.repository}, {"tag", spec.tag}};
  for (const auto& change : spec.changes) query.emplace_back("changes", change);
  ProgressStream progress("POST /images/create", nullptr);
  Send(TarUpload(WithQuery("/images/create", query), spec.root_filesystem, progress));
  progress.Finish();
  if (!progress.error().empty()) {
    throw Error(ErrorCode::kInternal, "docker: import of '" + spec.repository + ":" +
                                          spec.tag + "' failed: " + progress.error());
  }
  return InspectImage(spec.repository + ":" + spec.tag).id;
}

std::string DockerClient::BuildImage(const BuildSpec& spec) {
  if (!spec.context) {
    throw Error(ErrorCode::kInvalidArgument, "build: context (a tar of the build directory) is required");
  }
  std::vector<std::pair<std::string, std::string>> query = {
      {"dockerfile", spec.dockerfile}, {"rm", "1"}, {"forcerm", "1"}};
  for (const auto& tag : spec.tags) query.emplace_back("t", tag);
  if (!spec.build_args.empty()) query.emplace_back("buildargs", Json(spec.build_args).dump());
  if (!spec.labels.empty()) query.emplace_back("labels", Json(spec.labels).dump());
  if (spec.no_cache) query.emplace_back("nocache", "1");
  ProgressStream progress("POST /build", spec.on_progress);
  Send(TarUpload(WithQuery("/build", query), spec.context, progress));
  progress.Finish();
  std::string name = spec.tags.empty() ? "(untagged)" : spec.tags.front();
  if (!progress.error().empty()) {
    throw Error(ErrorCode::kInternal, "docker: build of '" + name + "' failed: " +
                                          progress.error() + "\nlast output:\n" +
                                          progress.RecentOutput());
  }
  if (!progress.image_id().empty()) return progress.image_id();
  if (!spec.tags.empty()) return InspectImage(spec.tags.front()).id;
  throw Error(ErrorCode::kInternal, "docker: build of '" + name +
                                        "' reported no image id\nlast output:\n" +
                                        progress.RecentOutput());
}

void DockerClient::SaveImages(const std::vector<std::string>& names,
                             const std::function<void(std::string_view)>& sink) {
  if (names.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "save: name at least one image");
  }
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& name : names) query.emplace_back("names", name);
  HttpRequest request;
  request.target = WithQuery("/images/get", query);
  request.timeout = kBuildDeadline;
  request.on_body = sink;
  Send(request);
}

void DockerClient::LoadImages(const TarSource& tar) {
  ProgressStream progress("POST /images/load", nullptr);
  HttpRequest request = TarUpload(WithQuery("/images/load", {{"quiet", "1"}}), tar, progress);
  Send(request);
  progress.Finish();
  if (!progress.error().empty()) {
    throw Error(ErrorCode::kInternal, "docker: loading images failed: " + progress.error());
  }
}

ImageInfo DockerClient::InspectImage(const std::string& name_or_id) {
  HttpRequest request;
  request.target = "/images/" + name_or_id + "/json";
  return internal::ReadBody(Send(request).body, "GET " + request.target,
                            internal::ParseImageInfo);
}

std::vector<ImageInfo> DockerClient::ListImages(const LabelFilter& labels) {
  HttpRequest request;
  request.target = WithQuery("/images/json", {{"filters", internal::LabelFilterQuery(labels)}});
  return internal::ReadBody(Send(request).body, "GET /images/json", [](const Json& rows) {
    return internal::ReadRows(rows, internal::ParseImageInfo);
  });
}

void DockerClient::TagImage(const std::string& name_or_id, const std::string& repository,
                            const std::string& tag) {
  HttpRequest request;
  request.method = "POST";
  request.target = WithQuery("/images/" + name_or_id + "/tag",
                             {{"repo", repository}, {"tag", tag}});
  Send(request);
}

void DockerClient::RemoveImage(const std::string& name_or_id, bool force) {
  HttpRequest request;
  request.method = "DELETE";
  request.target = WithQuery("/images/" + name_or_id, {{"force", force ? "1" : "0"}});
  Send(request);
}

}  // namespace cirque::docker
