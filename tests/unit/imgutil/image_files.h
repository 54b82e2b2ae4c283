#pragma once
// Scratch files for the imgutil tests: a private temporary directory, whole-file helpers,
// and real squashfs images made with mksquashfs (a missing mksquashfs fails the test).
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "base/process.h"

namespace imgtest {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/confluent-imgutil.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

inline void put(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

inline std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string random_bytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (size_t i = 0; i < size; i += 4) {
    uint32_t word = rng();
    for (size_t j = 0; j < 4 && i + j < size; ++j) out[i + j] = static_cast<char>(word >> (8 * j));
  }
  return out;
}

// A small squashfs of a directory tree made from `seed` (a few files and a subdirectory).
inline fs::path make_squashfs(const fs::path& work, const std::string& name, uint32_t seed) {
  fs::path tree = work / (name + ".tree");
  put(tree / "etc/hostname", name + "\n");
  put(tree / "usr/lib/data.bin", random_bytes(20000 + seed % 5000, seed));
  put(tree / "README", "image " + name + "\n");
  fs::path out = work / (name + ".sfs");
  confluent::run_program_or_throw(
      {"mksquashfs", tree.string(), out.string(), "-noappend", "-quiet", "-no-progress", "-comp", "gzip"});
  return out;
}

}  // namespace imgtest
