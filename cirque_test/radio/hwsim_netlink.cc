#include "cirque_test/radio/hwsim_netlink.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "cirque_test/util/error.h"

namespace cirque::radio {
namespace {

size_t Align(size_t size) { return (size + 3) & ~size_t{3}; }

class MessageBuilder {
 public:
  MessageBuilder(uint16_t type, uint32_t sequence, uint8_t command, uint8_t version) {
    bytes_.resize(NLMSG_HDRLEN + GENL_HDRLEN);
    auto* header = reinterpret_cast<nlmsghdr*>(bytes_.data());
    header->nlmsg_type = type;
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    header->nlmsg_seq = sequence;
    auto* genl = reinterpret_cast<genlmsghdr*>(bytes_.data() + NLMSG_HDRLEN);
    genl->cmd = command;
    genl->version = version;
  }
  void Attribute(uint16_t type, const void* data, size_t size) {
    size_t start = bytes_.size();
    bytes_.resize(start + Align(NLA_HDRLEN + size));
    auto* attribute = reinterpret_cast<nlattr*>(bytes_.data() + start);
    attribute->nla_type = type;
    attribute->nla_len = static_cast<uint16_t>(NLA_HDRLEN + size);
    std::memcpy(bytes_.data() + start + NLA_HDRLEN, data, size);
  }
  void StringAttribute(uint16_t type, const std::string& value) {
    Attribute(type, value.c_str(), value.size() + 1);
  }
  std::vector<uint8_t> Finish() {
    reinterpret_cast<nlmsghdr*>(bytes_.data())->nlmsg_len = static_cast<uint32_t>(bytes_.size());
    return bytes_;
  }

 private:
  std::vector<uint8_t> bytes_;
};

// A generic netlink socket, closed when it goes.
class GenlSocket {
 public:
  GenlSocket() {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd_ < 0) throw Error(ErrorCode::kInternal, std::string("netlink socket: ") + std::strerror(errno));
  }
  ~GenlSocket() { close(fd_); }

  // Sends `message` and returns the answers until the ack; `ack_value` gets
  // the ack's error field (negative errno, 0, or a positive result).
  std::vector<uint8_t> Transact(const std::vector<uint8_t>& message, int& ack_value) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd_, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0) {
      throw Error(ErrorCode::kInternal, std::string("netlink send: ") + std::strerror(errno));
    }
    std::vector<uint8_t> answers;
    std::vector<uint8_t> buffer(65536);
    for (;;) {
      ssize_t received = recv(fd_, buffer.data(), buffer.size(), 0);
      if (received < 0) throw Error(ErrorCode::kInternal, std::string("netlink recv: ") + std::strerror(errno));
      for (auto* header = reinterpret_cast<nlmsghdr*>(buffer.data());
           NLMSG_OK(header, static_cast<unsigned>(received));
           header = NLMSG_NEXT(header, received)) {
        if (header->nlmsg_type == NLMSG_ERROR) {
          ack_value = reinterpret_cast<nlmsgerr*>(NLMSG_DATA(header))->error;
          return answers;
        }
        auto* start = reinterpret_cast<uint8_t*>(header);
        answers.insert(answers.end(), start, start + header->nlmsg_len);
      }
    }
  }

 private:
  int fd_ = -1;
};

uint16_t HwsimFamilyId(GenlSocket& socket) {
  int ack = 0;
  std::vector<uint8_t> answer = socket.Transact(FamilyLookupMessage(1), ack);
  uint16_t family = ParseFamilyId(answer);
  if (family == 0) {
    throw Error(ErrorCode::kFailedPrecondition,
                "the kernel has no MAC80211_HWSIM netlink family (mac80211_hwsim is not loaded): " +
                    std::string(std::strerror(-ack)));
  }
  return family;
}

}  // namespace

std::vector<uint8_t> FamilyLookupMessage(uint32_t sequence) {
  MessageBuilder builder(GENL_ID_CTRL, sequence, CTRL_CMD_GETFAMILY, 1);
  builder.StringAttribute(CTRL_ATTR_FAMILY_NAME, kHwsimFamily);
  return builder.Finish();
}

std::vector<uint8_t> NewRadioMessage(uint16_t family_id, uint32_t sequence, const std::string& name) {
  MessageBuilder builder(family_id, sequence, kHwsimCmdNewRadio, 1);
  uint32_t channels = 1;
  builder.Attribute(kHwsimAttrChannels, &channels, sizeof channels);
  // hwsim's first custom regulatory domain: 2.4 GHz channels 1..11 and
  // 5 GHz 36..48 and 149..165, all without "no initiating radiation", so an
  // AP may start on any of them whatever the host's regulatory database.
  uint32_t custom_domain = 0;
  builder.Attribute(kHwsimAttrRegCustomReg, &custom_domain, sizeof custom_domain);
  if (!name.empty()) builder.StringAttribute(kHwsimAttrRadioName, name);
  return builder.Finish();
}

std::vector<uint8_t> DeleteRadioMessage(uint16_t family_id, uint32_t sequence, int radio_id) {
  MessageBuilder builder(family_id, sequence, kHwsimCmdDelRadio, 1);
  uint32_t id = static_cast<uint32_t>(radio_id);
  builder.Attribute(kHwsimAttrRadioId, &id, sizeof id);
  return builder.Finish();
}

std::vector<uint8_t> DeleteRadioByNameMessage(uint16_t family_id, uint32_t sequence, const std::string& name) {
  MessageBuilder builder(family_id, sequence, kHwsimCmdDelRadio, 1);
  builder.StringAttribute(kHwsimAttrRadioName, name);
  return builder.Finish();
}

uint16_t ParseFamilyId(const std::vector<uint8_t>& answer) {
  size_t offset = 0;
  while (offset + NLMSG_HDRLEN + GENL_HDRLEN <= answer.size()) {
    const auto* header = reinterpret_cast<const nlmsghdr*>(answer.data() + offset);
    if (header->nlmsg_len < NLMSG_HDRLEN || offset + header->nlmsg_len > answer.size()) break;
    size_t attribute = offset + NLMSG_HDRLEN + GENL_HDRLEN;
    const size_t end = offset + header->nlmsg_len;
    while (attribute + NLA_HDRLEN <= end) {
      const auto* nla = reinterpret_cast<const nlattr*>(answer.data() + attribute);
      if (nla->nla_len < NLA_HDRLEN) break;
      if ((nla->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID && nla->nla_len >= NLA_HDRLEN + 2) {
        uint16_t id;
        std::memcpy(&id, answer.data() + attribute + NLA_HDRLEN, sizeof id);
        return id;
      }
      attribute += Align(nla->nla_len);
    }
    offset += Align(header->nlmsg_len);
  }
  return 0;
}

int CreateHwsimRadio(const std::string& name) {
  GenlSocket socket;
  uint16_t family = HwsimFamilyId(socket);
  int ack = 0;
  socket.Transact(NewRadioMessage(family, 2, name), ack);
  if (ack < 0) {
    throw Error(ErrorCode::kInternal, "hwsim: creating radio '" + name + "' failed: " + std::strerror(-ack));
  }
  return ack;  // the driver answers with the new radio's id
}

namespace {

// Sends one delete request; `what` names the radio in the error.
void DeleteRadio(const std::function<std::vector<uint8_t>(uint16_t)>& message, const std::string& what) {
  GenlSocket socket;
  uint16_t family = HwsimFamilyId(socket);
  int ack = 0;
  socket.Transact(message(family), ack);
  if (ack < 0) {
    throw Error(ErrorCode::kInternal, "hwsim: deleting radio " + what + " failed: " + std::strerror(-ack));
  }
}

}  // namespace

void DeleteHwsimRadio(int radio_id) {
  DeleteRadio([radio_id](uint16_t family) { return DeleteRadioMessage(family, 3, radio_id); },
              std::to_string(radio_id));
}

void DeleteHwsimRadioNamed(const std::string& name) {
  DeleteRadio([&name](uint16_t family) { return DeleteRadioByNameMessage(family, 4, name); }, "'" + name + "'");
}

}  // namespace cirque::radio
