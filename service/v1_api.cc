#include "service/v1_api.h"

#include <memory>

#include "cirque_test/home/node_spec_json.h"
#include "service/cirque_api.h"
#include "service/http_error.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;
constexpr long kMaxDeadlineMs = 3600 * 1000;

void SendJson(httplib::Response& response, const Json& body, int status = 200) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

[[noreturn]] void BadField(const std::string& field, const Json& value, const std::string& fix) {
  throw Error(ErrorCode::kInvalidArgument, field + " " + value.dump() + ": " + fix);
}

Json ParseBody(const httplib::Request& request) {
  try {
    Json body = Json::parse(request.body);
    if (!body.is_object()) BadField("request body", body, "must be a JSON object");
    return body;
  } catch (const Json::parse_error& error) {
    throw Error(ErrorCode::kInvalidArgument, std::string("request body is not JSON: ") + error.what());
  }
}

void OnlyKeys(const Json& body, const std::string& what, const std::vector<std::string>& keys) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string known;
      for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
      BadField(what + "." + key, value, "is not a field of " + what + "; fields: " + known);
    }
  }
}

// The node specs of {"nodes": {name: spec}}.
std::vector<home::NodeSpec> NodeSpecs(const Json& body, const HomeRegistry& homes, bool allow_empty) {
  OnlyKeys(body, "request", {"nodes"});
  if (!body.contains("nodes") || !body["nodes"].is_object()) {
    BadField("nodes", body.value("nodes", Json()), "must be an object of node name -> Cirque node spec");
  }
  if (!allow_empty && body["nodes"].empty()) BadField("nodes", body["nodes"], "names no node to add");
  return home::ParseHomeSpecJson(body["nodes"].dump(), homes.capabilities());
}

std::vector<std::string> Strings(const Json& body, const std::string& field) {
  if (!body.contains(field)) return {};
  const Json& value = body[field];
  if (!value.is_array()) BadField(field, value, "must be an array of strings");
  std::vector<std::string> strings;
  for (const auto& item : value) {
    if (!item.is_string()) BadField(field, value, "must be an array of strings");
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

docker::ExecSpec ExecSpecFrom(const Json& body, bool& stream) {
  OnlyKeys(body, "exec", {"argv", "env", "workdir", "deadline_ms", "stream"});
  docker::ExecSpec spec;
  spec.cmd = Strings(body, "argv");
  if (spec.cmd.empty()) BadField("argv", body.value("argv", Json()), "must name a program: [\"ip\", \"addr\"]");
  spec.env = Strings(body, "env");
  for (const auto& entry : spec.env) {
    if (entry.find('=') == std::string::npos || entry.front() == '=') {
      BadField("env", Json(entry), "each entry must be KEY=value");
    }
  }
  if (body.contains("workdir")) {
    if (!body["workdir"].is_string() || body["workdir"].get<std::string>().rfind('/', 0) != 0) {
      BadField("workdir", body["workdir"], "must be an absolute path in the node");
    }
    spec.working_dir = body["workdir"];
  }
  if (body.contains("deadline_ms")) {
    const Json& deadline = body["deadline_ms"];
    if (!deadline.is_number_integer() || deadline.get<long>() < 1 || deadline.get<long>() > kMaxDeadlineMs) {
      BadField("deadline_ms", deadline, "must be a whole number of milliseconds from 1 to " +
                                            std::to_string(kMaxDeadlineMs));
    }
    spec.deadline = std::chrono::milliseconds(deadline.get<long>());
  }
  stream = false;
  if (body.contains("stream")) {
    if (!body["stream"].is_boolean()) BadField("stream", body["stream"], "must be true or false");
    stream = body["stream"];
  }
  return spec;
}

long NumberParam(const httplib::Request& request, const std::string& name, long fallback, long minimum) {
  if (!request.has_param(name.c_str())) return fallback;
  const std::string text = request.get_param_value(name.c_str());
  size_t used = 0;
  long value = minimum - 1;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < minimum) {
    throw Error(ErrorCode::kInvalidArgument,
                name + " '" + text + "' is not a whole number of at least " + std::to_string(minimum));
  }
  return value;
}

Json Names(const std::map<std::string, std::string>& files) {
  Json names = Json::array();
  for (const auto& [name, content] : files) names.push_back({{"name", name}, {"bytes", content.size()}});
  return names;
}

void SendFileOrList(const httplib::Request& request, httplib::Response& response,
                    const std::map<std::string, std::string>& files, const std::string& param, const std::string& what) {
  if (!request.has_param(param.c_str())) {
    SendJson(response, Json{{"artifacts", Names(files)}});
    return;
  }
  const std::string wanted = request.get_param_value(param.c_str());
  auto found = files.find(wanted);
  if (found == files.end()) {
    std::string known;
    for (const auto& [name, content] : files) known += (known.empty() ? "" : ", ") + name;
    throw Error(ErrorCode::kNotFound, what + " has no artifact '" + wanted + "'; artifacts: " +
                                          (known.empty() ? "none" : known));
  }
  response.set_content(found->second, "application/octet-stream");
}

}  // namespace

Json NodeJson(const home::NodeDescription& node) {
  Json capabilities = CapabilitiesJson(node);
  return Json{{"name", node.name},
              {"type", node.type},
              {"image", node.image},
              {"container_id", node.container_id},
              {"state", node.state},
              {"ipv4_address", node.ipv4_address},
              {"ipv6_address", node.ipv6_address},
              {"capabilities", capabilities}};
}

Json HomeJson(const home::HomeDescription& home) {
  Json nodes = Json::array();
  for (const auto& node : home.nodes) nodes.push_back(NodeJson(node));
  return Json{{"id", home.id}, {"name", home.name}, {"networks", home.networks}, {"nodes", nodes}};
}

void AddV1Routes(httplib::Server& server, HomeRegistry& homes, ExecSlots& slots, V1Options options) {
  const std::string home_path = R"(/v1/homes/([^/]+))";
  const std::string node_path = home_path + R"(/nodes/([^/]+))";

  server.Post("/v1/homes", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      std::string id = homes.Create(NodeSpecs(ParseBody(request), homes, /*allow_empty=*/true));
      response.set_header("Location", "/v1/homes/" + id);
      SendJson(response, HomeJson(homes.Find(id)->Describe()), 201);
    });
  });
  server.Get("/v1/homes", [&homes](const httplib::Request&, httplib::Response& response) {
    Answer(response, [&] {
      Json list = Json::array();
      for (const auto& id : homes.Ids()) {
        try {
          auto home = homes.Find(id);
          list.push_back({{"id", id}, {"name", home->name()}, {"nodes", home->NodeNames()}});
        } catch (const Error& error) {
          if (error.code() != ErrorCode::kNotFound) throw;  // deleted meanwhile
        }
      }
      SendJson(response, Json{{"homes", list}});
    });
  });
  server.Get(home_path, [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] { SendJson(response, HomeJson(homes.Find(request.matches[1])->Describe())); });
  });
  server.Delete(home_path, [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      homes.Destroy(request.matches[1]);
      response.status = 204;
    });
  });
  server.Post(home_path + "/nodes", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::vector<home::NodeSpec> specs = NodeSpecs(ParseBody(request), homes, /*allow_empty=*/false);
      homes.Check(specs);
      home->AddNodes(specs);
      Json nodes = Json::array();
      for (const auto& spec : specs) nodes.push_back(NodeJson(home->node(spec.name).Describe()));
      SendJson(response, Json{{"nodes", nodes}}, 201);
    });
  });
  server.Get(node_path, [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      SendJson(response, NodeJson(FindDevice(*home, request.matches[2])->Describe()));
    });
  });
  server.Post(node_path + "/restart", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::string name = FindDevice(*home, request.matches[2])->name();
      home->RestartNode(name);
      SendJson(response, NodeJson(home->node(name).Describe()));
    });
  });
  server.Delete(node_path, [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      home->RemoveNode(FindDevice(*home, request.matches[2])->name());
      response.status = 204;
    });
  });
  server.Post(node_path + "/exec", [&homes, &slots](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::shared_ptr<home::Node> node = FindDevice(*home, request.matches[2]);
      bool stream = false;
      docker::ExecSpec spec = ExecSpecFrom(ParseBody(request), stream);
      auto slot = std::make_shared<ExecSlots::Slot>(slots.Take());
      if (!stream) {
        docker::ExecResult result = node->Exec(spec);
        SendJson(response, Json{{"exit_code", result.exit_code},
                                {"stdout", result.stdout_text},
                                {"stderr", result.stderr_text}});
        return;
      }
      // One JSON object per line: {"stdout": "..."} or {"stderr": "..."} as
      // output arrives, then {"exit_code": N} or {"error": {code, message}}.
      response.set_chunked_content_provider(
          "application/x-ndjson", [node, spec, slot](size_t, httplib::DataSink& sink) mutable {
            auto line = [&sink](const Json& object) {
              std::string text = object.dump() + "\n";
              return sink.write(text.data(), text.size());
            };
            spec.on_output = [&line](docker::OutputStream stream, std::string_view data) {
              Json piece{{stream == docker::OutputStream::kStdout ? "stdout" : "stderr", std::string(data)}};
              if (!line(piece)) throw Error(ErrorCode::kUnavailable, "client went away");
            };
            try {
              docker::ExecResult result = node->Exec(spec);
              line(Json{{"exit_code", result.exit_code}});
            } catch (const Error& error) {
              line(Json{{"error", Json::parse(ErrorBody(error.code(), error.what()))}});
            } catch (const std::exception& error) {
              line(Json{{"error", Json::parse(ErrorBody(ErrorCode::kInternal, error.what()))}});
            }
            sink.done();
            return true;
          });
    });
  });
  server.Get(node_path + "/logs", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      docker::LogOptions log;
      log.tail = static_cast<int>(NumberParam(request, "tail", -1, 0));
      log.since = NumberParam(request, "since", 0, 0);
      auto home = homes.Find(request.matches[1]);
      docker::ContainerLogs logs = FindDevice(*home, request.matches[2])->Logs(log);
      response.set_content(logs.stdout_text + logs.stderr_text, "text/plain");
    });
  });
  server.Get(node_path + "/artifacts", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::shared_ptr<home::Node> node = FindDevice(*home, request.matches[2]);
      SendFileOrList(request, response, node->CollectArtifacts(), "path", "node '" + node->name() + "'");
    });
  });
  server.Get(home_path + "/artifacts", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      SendFileOrList(request, response, home->ResourceArtifacts(), "name", "home '" + home->id() + "'");
    });
  });
  server.Get("/v1/engine/features", [options](const httplib::Request&, httplib::Response& response) {
    Answer(response, [&] {
      if (!options.engine_features) throw Error(ErrorCode::kNotFound, "this service does not report engine features");
      SendJson(response, options.engine_features());
    });
  });
  server.Get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(kOpenApiJson, "application/json");
  });
}

}  // namespace cirque::service
