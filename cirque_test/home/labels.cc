#include "cirque_test/home/labels.h"

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

namespace cirque::home {
namespace {

// Field 22 of /proc/<pid>/stat; 0 when the process does not exist.
unsigned long long ProcessStartTime(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t end_of_name = text.rfind(')');  // the name may hold spaces
  if (end_of_name == std::string::npos) return 0;
  std::istringstream fields(text.substr(end_of_name + 2));
  std::string field;
  // After the name, state is field 3; starttime is field 22.
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index == 22) return std::stoull(field);
  }
  return 0;
}

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

std::string OwnerIdentity::ToString() const {
  return host + ":" + std::to_string(pid) + ":" + std::to_string(start_time);
}

std::optional<OwnerIdentity> OwnerIdentity::Parse(const std::string& text) {
  if (text.find('@') != std::string::npos) return std::nullopt;  // a service's (service_owner.h)
  size_t last = text.rfind(':');
  if (last == std::string::npos || last == 0) return std::nullopt;
  size_t middle = text.rfind(':', last - 1);
  if (middle == std::string::npos) return std::nullopt;
  OwnerIdentity owner;
  owner.host = text.substr(0, middle);
  try {
    owner.pid = std::stoi(text.substr(middle + 1, last - middle - 1));
    owner.start_time = std::stoull(text.substr(last + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (owner.host.empty() || owner.pid <= 0) return std::nullopt;
  return owner;
}

const OwnerIdentity& CurrentOwner() {
  static const OwnerIdentity owner{HostName(), getpid(), ProcessStartTime(getpid())};
  return owner;
}

namespace {

std::string& ProcessOwnerText() {
  static std::string text = CurrentOwner().ToString();
  return text;
}

}  // namespace

const std::string& CurrentOwnerText() { return ProcessOwnerText(); }

void SetProcessOwner(const std::string& owner_text) { ProcessOwnerText() = owner_text; }

bool OwnerIsAlive(const OwnerIdentity& owner) {
  if (owner.host != CurrentOwner().host) return true;
  unsigned long long start = ProcessStartTime(owner.pid);
  return start != 0 && start == owner.start_time;
}

bool OwnerIsGone(const std::string& owner_text) {
  std::optional<OwnerIdentity> owner = OwnerIdentity::Parse(owner_text);
  return owner && !OwnerIsAlive(*owner);
}

std::string NewId() {
  static thread_local std::mt19937_64 random(std::random_device{}() ^
                                             (static_cast<uint64_t>(getpid()) << 32));
  std::ostringstream id;
  id << std::hex;
  id.width(12);
  id.fill('0');
  id << (random() & 0xffffffffffffULL);
  return id.str();
}

const std::string& CurrentRunId() {
  static const std::string run_id = NewId();
  return run_id;
}

bool IsHelperHomeId(const std::string& home_id) {
  return home_id.rfind("probe-", 0) == 0 || home_id.rfind("reaper-", 0) == 0 || home_id.rfind("client-", 0) == 0;
}

std::string LabelValue(const docker::Labels& labels, const char* key) {
  auto found = labels.find(key);
  return found == labels.end() ? "" : found->second;
}

docker::Labels HomeLabels(const std::string& home_id) {
  return {{kHomeLabel, home_id},
          {kRunLabel, CurrentRunId()},
          {kOwnerLabel, CurrentOwnerText()}};
}

}  // namespace cirque::home
