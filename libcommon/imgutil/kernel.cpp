#include "imgutil/kernel.h"

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "base/files.h"
#include "base/natural_sort.h"
#include "base/strings.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "vmlinuz-";
constexpr uint64_t kVersionPointer = 0x20E;
constexpr uint64_t kHeaderMagicAt = 0x202;  // "HdrS"
constexpr size_t kVersionMax = 128;

std::string version_from_name(const fs::path& kernel) {
  std::string name = kernel.filename().string();
  return name.rfind(kPrefix, 0) == 0 ? name.substr(kPrefix.size()) : name;
}

// The version in an x86 boot header, or "" when there is no usable one.
std::string header_version(const InputFile& in) {
  unsigned char word[2];
  char magic[4];
  if (in.read_at(kHeaderMagicAt, magic, sizeof magic) != sizeof magic || std::string_view(magic, 4) != "HdrS" ||
      in.read_at(kVersionPointer, word, sizeof word) != sizeof word) {
    return "";
  }
  uint64_t pointer = word[0] | (word[1] << 8);
  if (pointer == 0) return "";
  char text[kVersionMax];
  size_t n = in.read_at(pointer + 0x200, text, sizeof text);
  size_t end = 0;
  while (end < n && std::isgraph(static_cast<unsigned char>(text[end])) != 0) ++end;
  // A version ends at a space (before "(builder)") or the string's NUL, never at junk.
  if (end == 0 || (end < n && text[end] != ' ' && text[end] != '\0')) return "";
  std::string version(text, end);
  // It names the initrd file: a '/' would point elsewhere.
  return version.find('/') == std::string::npos ? version : "";
}

struct VersionKey {
  std::vector<std::string> release, patch;  // digit runs, leading zeros removed
};

// confluent's versionize_string: numbers before the first '-' are the release, numbers
// after it the patch; '.' and '-' separate; any other text ends the key.
VersionKey version_key(std::string_view v) {
  VersionKey key;
  std::vector<std::string>* into = &key.release;
  size_t i = 0;
  while (i < v.size()) {
    size_t j = i;
    if (std::isdigit(static_cast<unsigned char>(v[i])) != 0) {
      while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j])) != 0) ++j;
      size_t start = i;
      while (start + 1 < j && v[start] == '0') ++start;
      into->emplace_back(v.substr(start, j - start));
    } else {
      while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j])) == 0) ++j;
      std::string_view text = v.substr(i, j - i);
      if (text == "-") {
        into = &key.patch;
      } else if (text != ".") {
        break;
      }
    }
    i = j;
  }
  return key;
}

int compare_numbers(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].size() != b[i].size()) return a[i].size() < b[i].size() ? -1 : 1;
    if (int c = a[i].compare(b[i]); c != 0) return c < 0 ? -1 : 1;
  }
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

}  // namespace

std::string kernel_version(const fs::path& kernel) {
  InputFile in(kernel);
  unsigned char head[2] = {};
  in.read_at(0, head, sizeof head);
  bool named = (head[0] == 0x1f && head[1] == 0x8b) || (head[0] == 'M' && head[1] == 'Z');
  std::string version = named ? "" : header_version(in);
  return version.empty() ? version_from_name(kernel) : version;
}

int compare_kernel_versions(std::string_view a, std::string_view b) {
  VersionKey ka = version_key(a), kb = version_key(b);
  if (int c = compare_numbers(ka.release, kb.release); c != 0) return c;
  if (int c = compare_numbers(ka.patch, kb.patch); c != 0) return c;
  return natural_compare(a, b);
}

std::vector<std::string> initrd_names(std::string_view version) {
  std::string v(version);
  return {"initramfs-" + v + ".img", "initrd-" + v, "initrd.img-" + v};
}

BootFiles find_boot_files(const fs::path& root) {
  const fs::path boot = root / "boot";
  BootFiles best;
  std::error_code ec;
  for (fs::directory_iterator it(boot, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(kPrefix, 0) != 0 || name.find("rescue") != std::string::npos) continue;
    std::error_code type_ec;
    if (!fs::is_regular_file(it->path(), type_ec)) continue;
    std::string version = kernel_version(it->path());
    if (best.kernel.empty() || compare_kernel_versions(version, best.version) > 0) {
      best.kernel = it->path();
      best.version = version;
    }
  }
  if (best.kernel.empty()) throw Error(ErrorKind::Runtime, "No kernel found in " + boot.string());
  std::vector<std::string> names = initrd_names(best.version);
  for (const auto& name : names) {
    std::error_code type_ec;
    if (fs::is_regular_file(boot / name, type_ec)) {
      best.initrd = boot / name;
      return best;
    }
  }
  throw Error(ErrorKind::Runtime, "No initrd found for kernel " + best.version + " in " + boot.string() + " (tried " +
                                      join(names, ", ") + ")");
}

}  // namespace confluent::imgutil
