// mtools does the FAT work: mformat makes the file system in a plain file and mcopy -s
// fills it, without root or loop devices.
#include "osdeploy/fatimage.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/process.h"

namespace confluent::osdeploy {

namespace {

uintmax_t tree_size(const fs::path& dir, size_t& entries) {
  uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink);
       it != fs::recursive_directory_iterator(); ++it) {
    ++entries;
    if (it->is_regular_file()) total += it->file_size();  // follows symlinks
  }
  return total;
}

}  // namespace

bool run_mtools(const std::vector<std::string>& argv, std::string* error) {
  setenv("MTOOLS_SKIP_CHECK", "1", 0);  // image geometry is ours or the media's
  return run_program(argv, error);
}

namespace {

void mtools_or_throw(const std::vector<std::string>& argv) {
  std::string why;
  if (!run_mtools(argv, &why)) throw Error(ErrorKind::Runtime, argv.at(0) + " failed: " + why);
}

}  // namespace

void dir_to_image(const fs::path& dir, const fs::path& image, const std::string& label) {
  size_t entries = 0;
  uintmax_t bytes = tree_size(dir, entries);
  // Content, one cluster of slack per entry, and 10% (at least 2 MiB) for the FAT itself.
  uintmax_t kib = (bytes + entries * 4096) / 1024;
  kib += std::max<uintmax_t>(kib / 10, 2048);
  // 4 heads x 32 sectors of 512 bytes: 64 KiB per cylinder (confluent's "big floppy").
  uintmax_t cylinders = (kib + 63) / 64;
  std::string name = label.substr(0, 11);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
  });
  // The volume serial comes from the label (mformat would pick a random one): the same tree
  // gives the same image.
  uint32_t serial = 2166136261u;
  for (char c : name) serial = (serial ^ static_cast<unsigned char>(c)) * 16777619u;
  char serial_hex[9];
  std::snprintf(serial_hex, sizeof serial_hex, "%08x", serial);
  fs::path tmp = image;
  tmp += ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) throw Error(ErrorKind::Runtime, "cannot create " + tmp.string());
    std::fclose(f);
  }
  fs::resize_file(tmp, cylinders * 64 * 1024, ec);
  try {
    mtools_or_throw({"mformat", "-i", tmp.string(), "-r", "16", "-h", "4", "-s", "32", "-t", std::to_string(cylinders), "-N", serial_hex, "-v", name,
         "::"});
    // -m keeps the files' modification times instead of stamping the copy time.
    std::vector<std::string> copy{"mcopy", "-s", "-m", "-i", tmp.string()};
    for (const auto& e : fs::directory_iterator(dir)) copy.push_back(e.path().string());
    copy.push_back("::");
    if (copy.size() > 5) mtools_or_throw(copy);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, image);
}

}  // namespace confluent::osdeploy
