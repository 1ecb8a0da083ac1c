// Network JSON: POST /networks/create and GET /networks/{id}.
#include "cirque_test/docker/internal/json_mapping.h"

#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

std::map<std::string, std::string> StringMap(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return {};
  return As<std::map<std::string, std::string>>(*it, key);
}

}  // namespace

Json NetworkCreateBody(const NetworkSpec& spec) {
  if (spec.name.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "network spec: name is empty; give the network a name");
  }
  if (spec.driver.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "network spec '" + spec.name +
                    "': driver is empty; use bridge, macvlan or ipvlan");
  }
  if ((spec.driver == "macvlan" || spec.driver == "ipvlan") &&
      spec.options.count("parent") == 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "network spec '" + spec.name + "': driver '" + spec.driver +
                    "' needs options[\"parent\"], the host interface to attach to");
  }
  Json body = {{"Name", spec.name},
               {"Driver", spec.driver},
               {"Internal", spec.internal},
               {"EnableIPv6", spec.enable_ipv6},
               {"Attachable", spec.attachable},
               {"CheckDuplicate", true}};
  if (!spec.options.empty()) body["Options"] = spec.options;
  if (!spec.labels.empty()) body["Labels"] = spec.labels;
  if (!spec.pools.empty()) {
    Json config = Json::array();
    for (const auto& pool : spec.pools) {
      if (pool.subnet.empty()) {
        throw Error(ErrorCode::kInvalidArgument,
                    "network spec '" + spec.name +
                        "': pools[].subnet is empty; give a CIDR such as 172.30.0.0/24");
      }
      Json entry = {{"Subnet", pool.subnet}};
      if (!pool.gateway.empty()) entry["Gateway"] = pool.gateway;
      if (!pool.ip_range.empty()) entry["IPRange"] = pool.ip_range;
      config.push_back(entry);
    }
    body["IPAM"] = {{"Driver", "default"}, {"Config", config}};
  }
  return body;
}

NetworkInfo ParseNetworkInfo(const Json& inspect) {
  NetworkInfo info;
  info.id = ValueOr<std::string>(inspect, "Id", "");
  info.name = ValueOr<std::string>(inspect, "Name", "");
  info.driver = ValueOr<std::string>(inspect, "Driver", "");
  info.internal = ValueOr<bool>(inspect, "Internal", false);
  info.enable_ipv6 = ValueOr<bool>(inspect, "EnableIPv6", false);
  info.options = StringMap(inspect, "Options");
  info.labels = StringMap(inspect, "Labels");
  auto ipam = inspect.find("IPAM");
  if (ipam != inspect.end() && ipam->is_object()) {
    auto config = ipam->find("Config");
    if (config != ipam->end() && config->is_array()) {
      for (const auto& entry : *config) {
        info.pools.push_back({ValueOr<std::string>(entry, "Subnet", ""),
                              ValueOr<std::string>(entry, "Gateway", ""),
                              ValueOr<std::string>(entry, "IPRange", "")});
      }
    }
  }
  auto containers = inspect.find("Containers");
  if (containers != inspect.end() && containers->is_object()) {
    for (const auto& [id, container] : containers->items()) {
      info.containers[id] = ValueOr<std::string>(container, "IPv4Address", "");
    }
  }
  return info;
}

}  // namespace cirque::docker::internal
