// cirque_thread_tty: runs inside a Thread node, whatever its image (static,
// needs nothing from it), and puts a simulated radio behind a serial device.
//
//   cirque_thread_tty radio --device /dev/ttyUSB0 --interface eth0 --dir D
//       --log F --port-offset N --timeout-ms MS -- ot-rcp ARGS...
//     finds the interface's IPv4 address and gives it to the radio as
//     `-L ADDRESS` (its frames go to 224.0.0.116 on that interface; given an
//     interface name it prefers IPv6, which Docker turns off on networks
//     without it, and turning it back on is an eth0 sysctl that crun,
//     unlike runc, applies before eth0 exists), makes a pty pair, links
//     the device path to its slave, and runs the radio as its child (see
//     `run` for why a child), with the master
//     as its stdin and stdout. It keeps the slave open, so a host stack may
//     close and open the device again without the radio seeing a hang-up.
//     Settings files go to D; the radio's log (its stderr) and the
//     launcher's own complaints to F.
//   cirque_thread_tty await --device P --timeout-ms MS [--log F]
//     exits 0 once the device at P answers Spinel (its NCP version): the
//     radio behind it is up and reading, so a host stack started next
//     finds it ready. 1 after MS with what it waited for and the tail of F.
//   cirque_thread_tty run --log F -- PROGRAM ARGS...
//     runs PROGRAM with stdin from /dev/null and its output appended to F,
//     as a child, and exits as it does (128 + signal when killed). A
//     process started by `docker exec` leads a session of its own; an
//     OpenThread process leading it was seen to die silently (ot-daemon
//     with SIGHUP, ot-rcp in about one start of three with eight nodes
//     starting at once), and none did as a child, which leads no session
//     and so can never take the pty as its controlling terminal.
//   cirque_thread_tty sniff --interface eth0 --port N --pcap F --timeout-ms MS
//     records every radio frame sent to port N of the 224.0.0.116 group on
//     the interface (one Thread medium: thread_media.h) into F, an IEEE 802.15.4
//     pcap (link type 195: frames with their FCS), flushed frame by frame.
//     F appears, holding its header, once the group is joined.
//   cirque_thread_tty await-file --path F --timeout-ms MS
//     exits 0 once F exists, 1 after MS.
//   cirque_thread_tty version --device P --timeout-ms MS
//     asks the device for its Spinel NCP version and prints it.
//
// Exit codes: 0 done, 1 failed (a line on stderr says why), 2 usage.
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "capabilities/thread/spinel_hdlc.h"

namespace {

using Clock = std::chrono::steady_clock;
using cirque::capabilities::thread::HdlcDecoder;
using cirque::capabilities::thread::HdlcEncode;
using cirque::capabilities::thread::ParseSpinelNcpVersion;
using cirque::capabilities::thread::SpinelGetNcpVersion;

// How often bounded waits look again.
constexpr auto kPollInterval = std::chrono::milliseconds(10);
// Where OpenThread's simulated radios send their frames when given an IPv4
// address (-L): link-local multicast, which no router forwards.
constexpr const char* kRadioGroup = "224.0.0.116";

struct Args {
  std::map<std::string, std::string> options;  // "--device" -> value
  std::vector<std::string> command;            // after "--"
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "cirque_thread_tty: %s\n", message.c_str());
  std::exit(1);
}

[[noreturn]] void Usage(const std::string& message) {
  std::fprintf(stderr, "cirque_thread_tty: %s\nusage: cirque_thread_tty radio|await|run|version --option value ... [-- command]\n",
               message.c_str());
  std::exit(2);
}

Args ParseArgs(int argc, char** argv, int first) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") {
      args.command.assign(argv + i + 1, argv + argc);
      break;
    }
    if (word.rfind("--", 0) != 0 || i + 1 >= argc) Usage("expected --option value, got '" + word + "'");
    args.options[word] = argv[++i];
  }
  return args;
}

std::string Required(const Args& args, const std::string& option) {
  auto found = args.options.find(option);
  if (found == args.options.end() || found->second.empty()) Usage("missing " + option);
  return found->second;
}

std::chrono::milliseconds Timeout(const Args& args) {
  std::string text = Required(args, "--timeout-ms");
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value <= 0) Usage("--timeout-ms " + text + " is not a positive whole number");
  return std::chrono::milliseconds(value);
}

std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> kept;
  for (std::string line; std::getline(in, line);) {
    kept.push_back(line);
    if (kept.size() > lines) kept.erase(kept.begin());
  }
  std::string text;
  for (const auto& line : kept) text += "\n  " + line;
  return text;
}

// The IPv4 address of `interface` ("" when it has none yet).
std::string Ipv4AddressOf(const std::string& interface) {
  ifaddrs* addresses = nullptr;
  if (::getifaddrs(&addresses) != 0) Fail(std::string("getifaddrs: ") + std::strerror(errno));
  std::string found;
  for (ifaddrs* entry = addresses; entry != nullptr && found.empty(); entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET || interface != entry->ifa_name) continue;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr, text, sizeof text);
    found = text;
  }
  ::freeifaddrs(addresses);
  return found;
}

// The radios' frames are IPv4 multicast on the node's home network: an
// address Docker gives eth0 before the container's process starts, so this
// returns at once unless the node has no such network.
std::string WaitForIpv4(const std::string& interface, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string address;
  while ((address = Ipv4AddressOf(interface)).empty()) {
    if (Clock::now() >= deadline) {
      Fail("interface " + interface + " has no IPv4 address after " + std::to_string(timeout.count()) +
           " ms (the radio's frames are IPv4 multicast on the node's home network)");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return address;
}

int OpenLog(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) Fail("cannot open log " + path + ": " + std::strerror(errno));
  return fd;
}

void MakeDirs(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      Fail("cannot make " + prefix + ": " + std::strerror(errno));
    }
    if (slash == std::string::npos) break;
  }
}

pid_t g_child = 0;

void ForwardSignal(int signal) {
  if (g_child > 0) ::kill(g_child, signal);
}

[[noreturn]] void Exec(const std::vector<std::string>& command);

// Runs `command` as a child with this process's files; returns its exit
// status (128 + signal when it was killed). Signals that stop this process
// are passed on to it.
int RunAsChild(const std::vector<std::string>& command) {
  g_child = ::fork();
  if (g_child < 0) Fail(std::string("fork: ") + std::strerror(errno));
  if (g_child == 0) Exec(command);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) ::signal(signal, ForwardSignal);
  int status = 0;
  while (::waitpid(g_child, &status, 0) < 0) {
    if (errno != EINTR) Fail(std::string("waitpid: ") + std::strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "cirque_thread_tty: %s was killed by signal %d\n", command[0].c_str(), WTERMSIG(status));
    return 128 + WTERMSIG(status);
  }
  if (WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "cirque_thread_tty: %s exited %d\n", command[0].c_str(), WEXITSTATUS(status));
  }
  return WEXITSTATUS(status);
}

[[noreturn]] void Exec(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());  // PATH, for a host stack named by name
  Fail("cannot run " + command[0] + ": " + std::strerror(errno));
}

int Radio(const Args& args) {
  const std::string device = Required(args, "--device"), interface = Required(args, "--interface");
  const std::string dir = Required(args, "--dir"), log = Required(args, "--log");
  if (args.command.empty()) Usage("radio needs -- COMMAND");
  // Runs detached: whatever goes wrong from here is told in the log, where
  // `await` finds it.
  MakeDirs(log.substr(0, log.rfind('/')));
  int log_fd = OpenLog(log);
  ::dup2(log_fd, STDERR_FILENO);
  // The radio sends from, and listens on, this address's interface.
  std::vector<std::string> command = args.command;
  command.insert(command.begin() + 1, {"-L", WaitForIpv4(interface, Timeout(args))});

  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) Fail(std::string("pty: ") + std::strerror(errno));
  const char* slave_name = ::ptsname(master);
  if (slave_name == nullptr) Fail(std::string("ptsname: ") + std::strerror(errno));
  // Kept open (and inherited by the radio) so the master never reads a
  // hang-up while no host stack has the device open.
  int slave = ::open(slave_name, O_RDWR | O_NOCTTY);
  if (slave < 0) Fail(std::string("open ") + slave_name + ": " + std::strerror(errno));
  termios raw{};
  if (::tcgetattr(slave, &raw) != 0) Fail(std::string("tcgetattr: ") + std::strerror(errno));
  ::cfmakeraw(&raw);
  if (::tcsetattr(slave, TCSANOW, &raw) != 0) Fail(std::string("tcsetattr: ") + std::strerror(errno));

  MakeDirs(dir);
  MakeDirs(device.substr(0, device.rfind('/')));
  ::unlink(device.c_str());  // a link left by an earlier radio of this node
  if (::symlink(slave_name, device.c_str()) != 0) {
    Fail("cannot link " + device + " to " + slave_name + ": " + std::strerror(errno));
  }
  if (::chdir(dir.c_str()) != 0) Fail("cannot enter " + dir + ": " + std::strerror(errno));
  if (auto offset = args.options.find("--port-offset"); offset != args.options.end()) {
    ::setenv("PORT_OFFSET", offset->second.c_str(), 1);
  }
  ::dup2(master, STDIN_FILENO);
  ::dup2(master, STDOUT_FILENO);
  return RunAsChild(command);
}

// Opens the device raw; -1 with errno when it cannot.
int OpenRaw(const std::string& device) {
  int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  termios raw{};
  if (::tcgetattr(fd, &raw) == 0) {
    ::cfmakeraw(&raw);
    ::tcsetattr(fd, TCSANOW, &raw);
  }
  return fd;
}

// Asks the device on `fd` for its Spinel NCP version and reads until the
// answer or `deadline`. "" when none came (`problem` says why).
std::string AskVersion(int fd, Clock::time_point deadline, std::string& problem) {
  std::string request = HdlcEncode(SpinelGetNcpVersion(1));
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    problem = std::string("cannot write: ") + std::strerror(errno);
    return "";
  }
  HdlcDecoder decoder;
  while (Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(left.count()) + 1) <= 0) continue;
    char buffer[512];
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {
      problem = "reading: " + (got == 0 ? std::string("end of file") : std::strerror(errno));
      return "";
    }
    for (const auto& frame : decoder.Feed(std::string(buffer, got))) {
      if (auto version = ParseSpinelNcpVersion(frame)) return *version;
    }
  }
  problem = "no Spinel answer (" + std::to_string(decoder.dropped()) + " frames with a bad FCS)";
  return "";
}

int Await(const Args& args) {
  const std::string device = Required(args, "--device");
  auto timeout = Timeout(args);
  auto deadline = Clock::now() + timeout;
  // Each try waits this long for an answer before asking again: a radio
  // still starting reads the question late or not at all.
  constexpr auto kTry = std::chrono::milliseconds(250);
  std::string problem = "not tried";
  while (true) {
    int fd = OpenRaw(device);
    if (fd >= 0) {
      std::string version = AskVersion(fd, std::min(deadline, Clock::now() + kTry), problem);
      ::close(fd);
      if (!version.empty()) return 0;
    } else {
      problem = "cannot open: " + std::string(std::strerror(errno));
    }
    // The radio's launcher gave up (its lines start with our name): no
    // point in waiting longer.
    auto log = args.options.find("--log");
    bool launcher_failed = log != args.options.end() && Tail(log->second, 20).find("cirque_thread_tty:") != std::string::npos;
    if (launcher_failed || Clock::now() >= deadline) {
      std::string message = "device " + device + " did not answer within " + std::to_string(timeout.count()) +
                            " ms (" + problem + ")";
      if (auto log = args.options.find("--log"); log != args.options.end()) {
        message += "; the radio's log " + log->second + " ends:" + Tail(log->second, 10);
      }
      Fail(message);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

int Run(const Args& args) {
  const std::string log = Required(args, "--log");
  if (args.command.empty()) Usage("run needs -- COMMAND");
  int log_fd = OpenLog(log);
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  return RunAsChild(args.command);
}

void AppendLittleEndian(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

int Sniff(const Args& args) {
  const std::string interface = Required(args, "--interface"), pcap = Required(args, "--pcap");
  const std::string port_text = Required(args, "--port");
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (*end != '\0' || port <= 0 || port > 65535) Usage("--port " + port_text + " is not a UDP port");
  WaitForIpv4(interface, Timeout(args));
  unsigned index = ::if_nametoindex(interface.c_str());
  if (index == 0) Fail("no interface " + interface);
  int fd = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (fd < 0) Fail(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  // The radios of the node this runs beside bind the same port.
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  sockaddr_in group{};
  group.sin_family = AF_INET;
  group.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, kRadioGroup, &group.sin_addr);
  ip_mreqn join{};
  join.imr_multiaddr = group.sin_addr;
  join.imr_ifindex = static_cast<int>(index);
  if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) {
    Fail(std::string("joining ") + kRadioGroup + ": " + std::strerror(errno));
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&group), sizeof group) != 0) {
    Fail("binding port " + port_text + ": " + std::strerror(errno));
  }
  // Written whole under a temporary name, so the file appears ready.
  std::string header;
  AppendLittleEndian(header, 0xa1b2c3d4, 4);  // microsecond timestamps
  AppendLittleEndian(header, 2, 2);
  AppendLittleEndian(header, 4, 2);
  AppendLittleEndian(header, 0, 4);      // GMT
  AppendLittleEndian(header, 0, 4);      // accuracy
  AppendLittleEndian(header, 65535, 4);  // snapshot length
  AppendLittleEndian(header, 195, 4);    // LINKTYPE_IEEE802_15_4_WITHFCS
  const std::string partial = pcap + ".partial";
  int out = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) Fail("cannot write " + partial + ": " + std::strerror(errno));
  if (::write(out, header.data(), header.size()) != static_cast<ssize_t>(header.size()) ||
      ::rename(partial.c_str(), pcap.c_str()) != 0) {
    Fail("cannot write " + pcap + ": " + std::strerror(errno));
  }
  char frame[2048];
  while (true) {
    ssize_t got = ::recv(fd, frame, sizeof frame, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      Fail(std::string("recv: ") + std::strerror(errno));
    }
    // A datagram is the channel (one byte), then the PSDU with its FCS.
    if (got < 2) continue;
    timeval now{};
    ::gettimeofday(&now, nullptr);
    std::string record;
    AppendLittleEndian(record, static_cast<uint32_t>(now.tv_sec), 4);
    AppendLittleEndian(record, static_cast<uint32_t>(now.tv_usec), 4);
    AppendLittleEndian(record, static_cast<uint32_t>(got - 1), 4);
    AppendLittleEndian(record, static_cast<uint32_t>(got - 1), 4);
    record.append(frame + 1, got - 1);
    if (::write(out, record.data(), record.size()) != static_cast<ssize_t>(record.size())) {
      Fail("cannot write " + pcap + ": " + std::strerror(errno));
    }
  }
}

int AwaitFile(const Args& args) {
  const std::string path = Required(args, "--path");
  auto timeout = Timeout(args);
  auto deadline = Clock::now() + timeout;
  struct stat info{};
  while (::stat(path.c_str(), &info) != 0) {
    if (Clock::now() >= deadline) Fail(path + " did not appear within " + std::to_string(timeout.count()) + " ms");
    std::this_thread::sleep_for(kPollInterval);
  }
  return 0;
}

int Version(const Args& args) {
  const std::string device = Required(args, "--device");
  auto timeout = Timeout(args);
  int fd = OpenRaw(device);
  if (fd < 0) Fail("cannot open " + device + ": " + std::strerror(errno));
  std::string problem;
  std::string version = AskVersion(fd, Clock::now() + timeout, problem);
  if (version.empty()) {
    Fail("no Spinel NCP version from " + device + " within " + std::to_string(timeout.count()) + " ms: " + problem);
  }
  std::printf("%s\n", version.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) Usage("no subcommand");
  std::string command = argv[1];
  Args args = ParseArgs(argc, argv, 2);
  if (command == "radio") return Radio(args);
  if (command == "await") return Await(args);
  if (command == "run") return Run(args);
  if (command == "version") return Version(args);
  if (command == "sniff") return Sniff(args);
  if (command == "await-file") return AwaitFile(args);
  Usage("unknown subcommand '" + command + "'");
}
