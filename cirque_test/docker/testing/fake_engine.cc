#include "cirque_test/docker/testing/fake_engine.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace cirque::docker::testing {
namespace {

// Lets the client drain one piece before the next is written.
constexpr auto kPauseBetweenPieces = std::chrono::milliseconds(20);

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 409: return "Conflict";
    default: return status >= 500 ? "Internal Server Error" : "Status";
  }
}

bool WriteAll(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = send(fd, data.data() + written, data.size() - written, MSG_NOSIGNAL);
    if (n <= 0) return false;
    written += n;
  }
  return true;
}

// Reads from `fd` into `buffer` until it holds `needed` bytes. False at EOF.
bool ReadAtLeast(int fd, std::string& buffer, size_t needed) {
  char chunk[65536];
  while (buffer.size() < needed) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, n);
  }
  return true;
}

bool ReadUntil(int fd, std::string& buffer, const std::string& marker, size_t from) {
  while (buffer.find(marker, from) == std::string::npos) {
    if (!ReadAtLeast(fd, buffer, buffer.size() + 1)) return false;
  }
  return true;
}

}  // namespace

std::string Frame(int stream, const std::string& payload) {
  std::string header(8, '\0');
  header[0] = static_cast<char>(stream);
  uint32_t size = static_cast<uint32_t>(payload.size());
  header[4] = static_cast<char>(size >> 24);
  header[5] = static_cast<char>(size >> 16);
  header[6] = static_cast<char>(size >> 8);
  header[7] = static_cast<char>(size);
  return header + payload;
}

FakeEngine::FakeEngine() {
  char dir_template[] = "/tmp/cirque-fake-engine-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
  socket_path_ = std::string(dir_template) + "/docker.sock";
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path_.c_str(), sizeof(address.sun_path) - 1);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listen_fd_, 16) != 0 || pipe(wake_pipe_) != 0) {
    throw std::runtime_error("fake engine: cannot listen on " + socket_path_);
  }
  Reply("GET", "/version", 200,
        R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12",)"
        R"("Os":"linux","Arch":"amd64","KernelVersion":"6.1.0-fake"})");
  server_ = std::thread([this] { Serve(); });
}

FakeEngine::~FakeEngine() {
  char wake = 'x';
  ssize_t ignored = write(wake_pipe_[1], &wake, 1);
  (void)ignored;
  server_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : open_connections_) shutdown(fd, SHUT_RDWR);
  }
  for (auto& worker : connection_threads_) worker.join();
  close(listen_fd_);
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
  unlink(socket_path_.c_str());
  rmdir(socket_path_.substr(0, socket_path_.rfind('/')).c_str());
}

void FakeEngine::On(const std::string& method, const std::string& path, Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[method + " " + path] = std::move(handler);
}

void FakeEngine::Reply(const std::string& method, const std::string& path, int status,
                       const std::string& body) {
  On(method, path, [status, body](const FakeRequest&) {
    return FakeResponse{status, "application/json", {body}};
  });
}

std::vector<FakeRequest> FakeEngine::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void FakeEngine::Serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_accepted_;
    std::lock_guard<std::mutex> lock(mutex_);
    open_connections_.push_back(fd);
    connection_threads_.emplace_back([this, fd] {
      ServeConnection(fd);
      std::lock_guard<std::mutex> lock(mutex_);
      std::erase(open_connections_, fd);
      close(fd);
    });
  }
}

// Serves requests on one connection until the client closes it or an answer
// ends it (a multi-piece stream).
void FakeEngine::ServeConnection(int fd) {
  std::string buffer;
  for (;;) {
    if (!ReadUntil(fd, buffer, "\r\n\r\n", 0)) return;
    size_t header_end = buffer.find("\r\n\r\n");
    FakeRequest request;
    std::string head = buffer.substr(0, header_end);
    buffer.erase(0, header_end + 4);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    size_t space1 = request_line.find(' ');
    size_t space2 = request_line.find(' ', space1 + 1);
    request.method = request_line.substr(0, space1);
    request.target = request_line.substr(space1 + 1, space2 - space1 - 1);
    for (size_t pos = line_end; pos != std::string::npos && pos + 2 < head.size();) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                        : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value[0] == ' ') value.erase(0, 1);
        request.headers[Lower(line.substr(0, colon))] = value;
      }
      pos = next;
    }
    if (request.headers["transfer-encoding"] == "chunked") {
      for (;;) {
        if (!ReadUntil(fd, buffer, "\r\n", 0)) return;
        size_t size_end = buffer.find("\r\n");
        size_t size = std::strtoul(buffer.substr(0, size_end).c_str(), nullptr, 16);
        buffer.erase(0, size_end + 2);
        if (!ReadAtLeast(fd, buffer, size + 2)) return;
        request.body += buffer.substr(0, size);
        buffer.erase(0, size + 2);
        if (size == 0) break;
      }
    } else if (request.headers.count("content-length") != 0) {
      size_t length = std::strtoul(request.headers["content-length"].c_str(), nullptr, 10);
      if (!ReadAtLeast(fd, buffer, length)) return;
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);
    }
    request.path = request.target.substr(0, request.target.find('?'));
    if (request.path.rfind("/v1.", 0) == 0) {
      request.path.erase(0, request.path.find('/', 1));
    }

    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      auto route = routes_.find(request.method + " " + request.path);
      if (route != routes_.end()) handler = route->second;
    }
    FakeResponse response =
        handler ? handler(request)
                : FakeResponse{404, "application/json",
                               {R"({"message":"fake: no route for )" + request.method + " " +
                                request.path + "\"}"}};
    std::string status_line = "HTTP/1.1 " + std::to_string(response.status) + " " +
                              Reason(response.status) + "\r\n";
    std::string headers = "Content-Type: " + response.content_type + "\r\n";
    if (response.pieces.size() == 1) {
      headers += "Content-Length: " + std::to_string(response.pieces[0].size()) + "\r\n\r\n";
      if (!WriteAll(fd, status_line + headers + response.pieces[0])) return;
      continue;
    }
    if (response.pieces.empty()) {
      if (!WriteAll(fd, status_line + headers + "Content-Length: 0\r\n\r\n")) return;
      continue;
    }
    if (!WriteAll(fd, status_line + headers + "Connection: close\r\n\r\n")) return;
    for (const auto& piece : response.pieces) {
      std::this_thread::sleep_for(kPauseBetweenPieces);
      if (!WriteAll(fd, piece)) return;
    }
    return;  // the stream ends when the connection closes
  }
}

}  // namespace cirque::docker::testing
