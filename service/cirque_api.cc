#include "service/cirque_api.h"

#include <memory>

#include "service/http_error.h"
#include "service/shell_words.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;

void SendJson(httplib::Response& response, const Json& body) {
  response.set_content(body.dump(), "application/json");
}

bool IsTrue(const std::string& value) { return value == "True" || value == "true" || value == "1"; }

// The tail a client asked for: -1 (all) when absent or 0 (Cirque gave
// nothing for 0); a count otherwise.
int TailFrom(const httplib::Request& request) {
  if (!request.has_param("tail")) return -1;
  const std::string text = request.get_param_value("tail");
  if (text == "all") return -1;
  size_t used = 0;
  long value = -1;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || value < 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "tail '" + text + "' is not a number of lines; fix: give tail=N with N >= 1, or leave it out for all");
  }
  return value == 0 ? -1 : static_cast<int>(value);
}

std::string ContainerId(home::Node& node) {
  try {
    return node.container_id();
  } catch (const Error&) {
    return "";
  }
}

// The first access point of the home: [ssid, psk].
Json WifiSsidPsk(home::VirtualHome& home) {
  for (const auto& node : home.Describe().nodes) {
    auto wifi = node.capability_details.find("WiFi");
    if (wifi == node.capability_details.end()) continue;
    auto role = wifi->second.find("role");
    if (role == wifi->second.end() || role->second != "access point") continue;
    auto ssid = wifi->second.find("ssid");
    auto psk = wifi->second.find("psk");
    return Json::array({ssid == wifi->second.end() ? "" : ssid->second, psk == wifi->second.end() ? "" : psk->second});
  }
  throw Error(ErrorCode::kNotFound, "home '" + home.id() + "' has no WiFi access point (a node of type wifi_ap)");
}

}  // namespace

void Answer(httplib::Response& response, const std::function<void()>& handler) {
  try {
    handler();
  } catch (const Error& error) {
    response.status = HttpStatusFor(error.code());
    response.set_content(ErrorBody(error.code(), error.what()), "application/json");
  } catch (const std::exception& error) {
    response.status = 500;
    response.set_content(ErrorBody(ErrorCode::kInternal, error.what()), "application/json");
  }
}

Json CapabilitiesJson(const home::NodeDescription& node) {
  Json capabilities = Json::object();
  for (const auto& name : node.capabilities) {
    Json details = Json::object();
    if (auto found = node.capability_details.find(name); found != node.capability_details.end()) {
      for (const auto& [key, value] : found->second) details[key] = value;
    }
    capabilities[name] = details;
  }
  return capabilities;
}

Json DeviceState(const home::NodeDescription& node) {
  Json capability = CapabilitiesJson(node);
  Json description = Json::object();
  description["ipv4_addr"] = node.ipv4_address;
  if (!node.ipv6_address.empty()) description["ipv6_addr"] = node.ipv6_address;
  // Cirque put capability descriptions (an AP's ssid and psk) beside the
  // addresses; the addresses win a clash.
  for (const auto& [name, details] : capability.items()) {
    for (const auto& [key, value] : details.items()) {
      if (!description.contains(key)) description[key] = value;
    }
  }
  return Json{{"name", node.name},       {"type", node.type},   {"base_image", node.image},
              {"id", node.container_id}, {"state", node.state}, {"capability", capability},
              {"description", description}};
}

void AddCirqueRoutes(httplib::Server& server, HomeRegistry& homes, ExecSlots& slots) {
  server.Post("/create_home", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] { SendJson(response, homes.CreateFromJson(request.body)); });
  });
  server.Get("/get_homes", [&homes](const httplib::Request&, httplib::Response& response) {
    Answer(response, [&] { SendJson(response, homes.Ids()); });
  });
  server.Get(R"(/home_devices/([^/]+))", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      Json devices = Json::object();
      for (const auto& node : homes.Find(request.matches[1])->Describe().nodes) {
        devices[node.container_id] = DeviceState(node);
      }
      SendJson(response, devices);
    });
  });
  server.Get(R"(/device_state/([^/]+)/([^/]+))", [&homes](const httplib::Request& request,
                                                         httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      SendJson(response, DeviceState(FindDevice(*home, request.matches[2])->Describe()));
    });
  });
  server.Get(R"(/wifi_ssid_psk/([^/]+))", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] { SendJson(response, WifiSsidPsk(*homes.Find(request.matches[1]))); });
  });
  server.Get(R"(/device_cmd/([^/]+)/([^/]+)/(.+))", [&homes, &slots](const httplib::Request& request,
                                                                     httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::shared_ptr<home::Node> node = FindDevice(*home, request.matches[2]);
      std::vector<std::string> argv = SplitShellWords(request.matches[3].str(), "device_cmd command");
      if (argv.empty()) {
        throw Error(ErrorCode::kInvalidArgument, "device_cmd command is empty; fix: put the command after the device");
      }
      if (request.has_param("stream") && IsTrue(request.get_param_value("stream"))) {
        // The slot is taken now, so a refusal is a proper error answer; the
        // command runs as the answer is written.
        auto slot = std::make_shared<ExecSlots::Slot>(slots.Take());
        response.set_chunked_content_provider(
            "text/plain", [node, argv, slot](size_t, httplib::DataSink& sink) {
              docker::ExecSpec spec{.cmd = argv};
              spec.on_output = [&sink](docker::OutputStream, std::string_view data) {
                if (!sink.write(data.data(), data.size())) throw Error(ErrorCode::kUnavailable, "client went away");
              };
              try {
                node->Exec(spec);
              } catch (const std::exception& error) {
                std::string line = std::string("\ncirque: ") + error.what() + "\n";
                sink.write(line.data(), line.size());
              }
              sink.done();
              return true;
            });
        return;
      }
      ExecSlots::Slot slot = slots.Take();
      std::string output;
      docker::ExecSpec spec{.cmd = argv};
      spec.on_output = [&output](docker::OutputStream, std::string_view data) { output.append(data); };
      docker::ExecResult result = node->Exec(spec);
      SendJson(response, Json{{"return_code", std::to_string(result.exit_code)}, {"output", output}});
    });
  });
  server.Get(R"(/stop_device/([^/]+)/([^/]+))", [&homes](const httplib::Request& request,
                                                        httplib::Response& response) {
    Answer(response, [&] {
      auto home = homes.Find(request.matches[1]);
      std::shared_ptr<home::Node> node = FindDevice(*home, request.matches[2]);
      std::string id = ContainerId(*node);
      home->RemoveNode(node->name());
      SendJson(response, id);
    });
  });
  server.Get(R"(/device_log/([^/]+)/([^/]+))", [&homes](const httplib::Request& request,
                                                       httplib::Response& response) {
    Answer(response, [&] {
      int tail = TailFrom(request);
      auto home = homes.Find(request.matches[1]);
      docker::ContainerLogs logs = FindDevice(*home, request.matches[2])->Logs({.tail = tail});
      response.set_content(logs.stdout_text + logs.stderr_text, "text/plain");
    });
  });
  server.Get(R"(/destroy_home/([^/]+))", [&homes](const httplib::Request& request, httplib::Response& response) {
    Answer(response, [&] {
      std::string id = request.matches[1];
      homes.Destroy(id);
      SendJson(response, id);
    });
  });
  server.Get("/", [&homes](const httplib::Request&, httplib::Response& response) {
    Answer(response, [&] {
      SendJson(response, Json{{"service", "cirque"}, {"homes", homes.Ids().size()},
                              {"apis", Json::array({"cirque-compatible REST (/create_home, ...)"})}});
    });
  });
}

}  // namespace cirque::service
