#include "tests/faults/engine_proxy.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "cirque_test/util/error.h"

namespace cirque::faults {

struct EngineProxy::Connection {
  std::mutex mutex;
  int client_fd = -1;    // GUARDED_BY(mutex); -1 once closed
  int upstream_fd = -1;  // GUARDED_BY(mutex)
  pid_t client_pid = 0;

  void Shutdown() {
    std::lock_guard<std::mutex> lock(mutex);
    if (client_fd >= 0) ::shutdown(client_fd, SHUT_RDWR);
    if (upstream_fd >= 0) ::shutdown(upstream_fd, SHUT_RDWR);
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex);
    if (client_fd >= 0) ::close(client_fd);
    if (upstream_fd >= 0) ::close(upstream_fd);
    client_fd = upstream_fd = -1;
  }
};

namespace {

sockaddr_un Address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    throw Error(ErrorCode::kInvalidArgument, "engine proxy: socket path '" + path + "' is too long");
  }
  std::strcpy(address.sun_path, path.c_str());
  return address;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t written = ::send(fd, data, size, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

// A connected socket to the engine, or -1 (the client then sees its
// connection closed, as with an engine that is not there).
int ConnectUpstream(const docker::DockerEndpoint& engine) {
  if (engine.kind == docker::DockerEndpoint::Kind::kUnixSocket) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address = Address(engine.socket_path);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(engine.host.c_str(), std::to_string(engine.port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* candidate = found; candidate != nullptr && fd < 0; candidate = candidate->ai_next) {
    fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd >= 0 && ::connect(fd, candidate->ai_addr, candidate->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

const std::regex kRequestLine("(GET|POST|PUT|DELETE|HEAD) (\\S+) HTTP/1\\.[01]\r\n");

}  // namespace

EngineProxy::EngineProxy(docker::DockerEndpoint upstream) : upstream_(std::move(upstream)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cirque-proxy.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(ErrorCode::kInternal, "engine proxy: mkdtemp failed: " + std::string(std::strerror(errno)));
  }
  directory_ = pattern;
  socket_path_ = directory_ + "/engine.sock";
  Listen();
}

EngineProxy::~EngineProxy() {
  Kill();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void EngineProxy::Listen() {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address = Address(socket_path_);
  ::unlink(socket_path_.c_str());
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, 64) != 0) {
    std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw Error(ErrorCode::kInternal, "engine proxy: cannot listen on '" + socket_path_ + "': " + reason);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  listen_fd_ = fd;
  threads_.emplace_back([this, fd] { AcceptLoop(fd); });
}

void EngineProxy::AcceptLoop(int listen_fd) {
  for (;;) {
    int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR) continue;
      break;  // Kill shut the socket down
    }
    auto connection = std::make_shared<Connection>();
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(client, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0) {
      connection->client_pid = credentials.pid;
    }
    int upstream = ConnectUpstream(upstream_);
    if (upstream < 0) {
      ::close(client);
      continue;
    }
    connection->client_fd = client;
    connection->upstream_fd = upstream;
    std::lock_guard<std::mutex> lock(mutex_);
    if (listen_fd_ != listen_fd) {  // killed meanwhile
      connection->Close();
      break;
    }
    connections_.push_back(connection);
    threads_.emplace_back([this, connection] { Serve(connection); });
  }
  ::close(listen_fd);
}

void EngineProxy::Serve(std::shared_ptr<Connection> connection) {
  int client, upstream;
  {
    std::lock_guard<std::mutex> lock(connection->mutex);
    client = connection->client_fd;
    upstream = connection->upstream_fd;
  }
  Rule* armed = nullptr;
  std::string armed_line;
  char buffer[65536];
  for (;;) {
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) {
      ssize_t got = ::recv(client, buffer, sizeof(buffer), 0);
      if (got <= 0) break;
      std::string bytes(buffer, static_cast<size_t>(got));
      for (std::sregex_iterator it(bytes.begin(), bytes.end(), kRequestLine), end; it != end; ++it) {
        std::string line = (*it)[1].str() + " " + (*it)[2].str();
        if (Rule* rule = Match(line)) {
          armed = rule;
          armed_line = line;
        }
      }
      OpenWindows(bytes);
      if (!WriteAll(upstream, buffer, static_cast<size_t>(got))) break;
    }
    if (fds[1].revents != 0) {
      ssize_t got = ::recv(upstream, buffer, sizeof(buffer), 0);
      if (got <= 0) break;
      Verdict verdict = Verdict::kDeliver;
      if (armed != nullptr) {
        Rule* rule = armed;
        armed = nullptr;
        ++fired_;
        verdict = rule->action(Answer{armed_line, connection->client_pid});
      }
      if (verdict == Verdict::kDrop || !WriteAll(client, buffer, static_cast<size_t>(got))) break;
      if (verdict == Verdict::kDeliverThenKill) {
        Kill();
        break;
      }
    }
  }
  connection->Close();
}

EngineProxy::Rule* EngineProxy::Match(const std::string& request_line) {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.push_back(request_line);
  Rule* armed = nullptr;
  for (auto& rule : rules_) {
    if (rule->fired || !rule->after_seen) continue;
    if (std::regex_search(request_line, rule->request) && ++rule->matches == rule->trigger.nth) {
      rule->fired = true;
      if (armed == nullptr) armed = rule.get();
    }
  }
  return armed;
}

void EngineProxy::OpenWindows(const std::string& bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& rule : rules_) {
    if (!rule->after_seen && std::regex_search(bytes, rule->after)) rule->after_seen = true;
  }
}

void EngineProxy::OnAnswer(Trigger trigger, Action action) {
  auto rule = std::make_unique<Rule>();
  rule->request = std::regex(trigger.request);
  if (!trigger.after.empty()) rule->after = std::regex(trigger.after);
  rule->after_seen = trigger.after.empty();
  rule->trigger = std::move(trigger);
  rule->action = std::move(action);
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.push_back(std::move(rule));
}

void EngineProxy::Kill() {
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (listen_fd_ >= 0) {
      ::unlink(socket_path_.c_str());
      ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept; AcceptLoop closes it
      listen_fd_ = -1;
    }
    connections.swap(connections_);
  }
  for (auto& connection : connections) connection->Shutdown();
}

void EngineProxy::Restart() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (listen_fd_ >= 0) return;
  }
  Listen();
}

std::vector<std::string> EngineProxy::Requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

}  // namespace cirque::faults
