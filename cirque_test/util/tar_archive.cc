#include "cirque_test/util/tar_archive.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameSize = 100;

// Header field offsets and sizes from the ustar format.
struct Field {
  size_t offset;
  size_t size;
};
constexpr Field kName{0, 100};
constexpr Field kMode{100, 8};
constexpr Field kUid{108, 8};
constexpr Field kGid{116, 8};
constexpr Field kSize{124, 12};
constexpr Field kMtime{136, 12};
constexpr Field kChecksum{148, 8};
constexpr Field kTypeFlag{156, 1};
constexpr Field kLinkName{157, 100};
constexpr Field kMagic{257, 6};
constexpr Field kVersion{263, 2};
constexpr Field kPrefix{345, 155};

void PutOctal(char* header, Field field, unsigned long long value) {
  std::snprintf(header + field.offset, field.size, "%0*llo",
                static_cast<int>(field.size - 1), value);
}

void PutString(char* header, Field field, std::string_view value) {
  std::memcpy(header + field.offset, value.data(),
              std::min(value.size(), field.size));
}

std::string GetString(const char* header, Field field) {
  const char* start = header + field.offset;
  return std::string(start, strnlen(start, field.size));
}

unsigned long long GetOctal(const char* header, Field field) {
  unsigned long long value = 0;
  for (size_t i = 0; i < field.size; ++i) {
    char c = header[field.offset + i];
    if (c >= '0' && c <= '7') value = value * 8 + (c - '0');
    else if (c != ' ' || value != 0) break;
  }
  return value;
}

size_t Padded(size_t size) { return (size + kBlock - 1) / kBlock * kBlock; }

// A pax record is "<length> <key>=<value>\n" where length counts itself.
std::string PaxRecord(std::string_view key, std::string_view value) {
  size_t body = 1 + key.size() + 1 + value.size() + 1;
  size_t length = body + std::to_string(body).size();
  if (std::to_string(length).size() != std::to_string(body).size()) ++length;
  return std::to_string(length) + " " + std::string(key) + "=" +
         std::string(value) + "\n";
}

// Returns the "path" value of a pax extended header, or "".
std::string PaxPath(std::string_view records) {
  while (!records.empty()) {
    size_t space = records.find(' ');
    if (space == std::string_view::npos) break;
    size_t length = std::strtoul(std::string(records.substr(0, space)).c_str(),
                                 nullptr, 10);
    if (length == 0 || length > records.size()) break;
    std::string_view record = records.substr(space + 1, length - space - 2);
    if (record.substr(0, 5) == "path=") return std::string(record.substr(5));
    records.remove_prefix(length);
  }
  return "";
}

std::string CleanName(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  if (!name.empty() && name.back() == '/') name.pop_back();
  return name;
}

}  // namespace

void TarWriter::AppendHeader(std::string_view name, char type_flag, int mode,
                             size_t size, std::string_view link_target) {
  if (name.size() > kNameSize || link_target.size() > kLinkName.size) {
    std::string records;
    if (name.size() > kNameSize) records += PaxRecord("path", name);
    if (link_target.size() > kLinkName.size) {
      records += PaxRecord("linkpath", link_target);
    }
    AppendHeader("pax_header", 'x', 0644, records.size(), "");
    AppendData(records);
  }
  char header[kBlock] = {};
  PutString(header, kName, name.substr(0, kNameSize));
  PutOctal(header, kMode, mode);
  PutOctal(header, kUid, 0);
  PutOctal(header, kGid, 0);
  PutOctal(header, kSize, size);
  PutOctal(header, kMtime, 0);
  header[kTypeFlag.offset] = type_flag;
  PutString(header, kLinkName, link_target.substr(0, kLinkName.size));
  PutString(header, kMagic, std::string_view("ustar\0", 6));
  PutString(header, kVersion, "00");
  std::memset(header + kChecksum.offset, ' ', kChecksum.size);
  unsigned checksum = 0;
  for (unsigned char c : header) checksum += c;
  std::snprintf(header + kChecksum.offset, kChecksum.size, "%06o", checksum);
  archive_.append(header, kBlock);
}

void TarWriter::AppendData(std::string_view data) {
  archive_.append(data);
  archive_.append(Padded(data.size()) - data.size(), '\0');
}

void TarWriter::AddFile(std::string_view name, std::string_view content,
                        int mode) {
  AppendHeader(name, '0', mode, content.size(), "");
  AppendData(content);
}

void TarWriter::AddDirectory(std::string_view name, int mode) {
  std::string dir(name);
  if (dir.empty() || dir.back() != '/') dir += '/';
  AppendHeader(dir, '5', mode, 0, "");
}

void TarWriter::AddSymlink(std::string_view name, std::string_view target) {
  AppendHeader(name, '2', 0777, 0, target);
}

void TarWriter::Add(const TarEntry& entry) {
  switch (entry.type) {
    case TarEntryType::kFile: AddFile(entry.name, entry.content, entry.mode); break;
    case TarEntryType::kDirectory: AddDirectory(entry.name, entry.mode); break;
    case TarEntryType::kSymlink: AddSymlink(entry.name, entry.link_target); break;
    case TarEntryType::kOther:
      throw Error(ErrorCode::kInvalidArgument,
                  "tar entry '" + entry.name + "': type kOther cannot be written");
  }
}

std::string TarWriter::Finish() {
  archive_.append(2 * kBlock, '\0');
  std::string done;
  done.swap(archive_);
  return done;
}

std::vector<TarEntry> ReadTar(std::string_view archive) {
  std::vector<TarEntry> entries;
  std::string long_name;
  size_t offset = 0;
  while (offset + kBlock <= archive.size()) {
    const char* header = archive.data() + offset;
    if (std::all_of(header, header + kBlock, [](char c) { return c == 0; })) {
      return entries;  // end-of-archive marker
    }
    unsigned stored = GetOctal(header, kChecksum);
    unsigned computed = 0;
    for (size_t i = 0; i < kBlock; ++i) {
      bool in_checksum = i >= kChecksum.offset && i < kChecksum.offset + kChecksum.size;
      computed += in_checksum ? ' ' : static_cast<unsigned char>(header[i]);
    }
    if (stored != computed) {
      throw Error(ErrorCode::kInvalidArgument,
                  "tar: bad header checksum at offset " + std::to_string(offset));
    }
    size_t size = GetOctal(header, kSize);
    char type_flag = header[kTypeFlag.offset];
    offset += kBlock;
    if (offset + size > archive.size()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "tar: archive cut short at offset " + std::to_string(offset));
    }
    std::string_view data = archive.substr(offset, size);
    offset += Padded(size);
    if (type_flag == 'x') {
      long_name = PaxPath(data);
      continue;
    }
    if (type_flag == 'L') {
      long_name = std::string(data.substr(0, strnlen(data.data(), data.size())));
      continue;
    }
    if (type_flag == 'g') continue;  // global pax header: nothing we use
    TarEntry entry;
    std::string prefix = GetString(header, kPrefix);
    entry.name = !long_name.empty() ? long_name
                 : prefix.empty()   ? GetString(header, kName)
                                    : prefix + "/" + GetString(header, kName);
    entry.name = CleanName(entry.name);
    long_name.clear();
    entry.mode = static_cast<int>(GetOctal(header, kMode));
    switch (type_flag) {
      case '0':
      case '\0':
        entry.type = TarEntryType::kFile;
        entry.content = std::string(data);
        break;
      case '5': entry.type = TarEntryType::kDirectory; break;
      case '2':
        entry.type = TarEntryType::kSymlink;
        entry.link_target = GetString(header, kLinkName);
        break;
      default: entry.type = TarEntryType::kOther; break;
    }
    entries.push_back(std::move(entry));
  }
  if (offset != archive.size()) {
    throw Error(ErrorCode::kInvalidArgument,
                "tar: trailing partial block at offset " + std::to_string(offset));
  }
  return entries;
}

}  // namespace cirque
