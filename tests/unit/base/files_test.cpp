// Whole-file helpers and the two streaming handles: positioned reads that name the file when
// it is short, and atomic outputs that leave nothing behind unless committed.
#include "base/files.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "base/error.h"

using namespace confluent;
namespace fs = std::filesystem;

namespace {

struct Dir {
  fs::path path;
  Dir() {
    char tmpl[] = "/tmp/confluent-files.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~Dir() { fs::remove_all(path); }
  size_t entries() const { return std::distance(fs::directory_iterator(path), fs::directory_iterator()); }
};

}  // namespace

TEST_CASE("files: atomic writes set the mode and replace a symlink instead of writing through it", "[base]") {
  Dir dir;
  std::ofstream(dir.path / "target") << "keep";
  fs::create_symlink(dir.path / "target", dir.path / "link");
  write_file_atomic(dir.path / "link", "new", fs::perms(0640));
  CHECK(read_file(dir.path / "link") == "new");
  CHECK(read_file(dir.path / "target") == "keep");
  CHECK_FALSE(fs::is_symlink(dir.path / "link"));
  struct stat st {};
  REQUIRE(stat((dir.path / "link").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK_THROWS_WITH(read_file(dir.path / "none"),
                    (dir.path / "none").string() + ": cannot read (No such file or directory)");
  CHECK_THROWS_WITH(write_file_atomic(dir.path / "no/such/dir", "x", fs::perms(0644)),
                    Catch::StartsWith((dir.path / "no/such/dir").string() + ": cannot write"));
}

TEST_CASE("files: an atomic output dropped before commit leaves nothing, extend_to zero-fills", "[base]") {
  Dir dir;
  {
    AtomicOutputFile out(dir.path / "big", fs::perms(0600));
    out.write("abc");
    CHECK(dir.entries() == 1);  // the temporary sibling
  }
  CHECK(dir.entries() == 0);
  AtomicOutputFile out(dir.path / "big", fs::perms(0600));
  out.write("abc");
  out.extend_to(10);
  out.write("z");
  CHECK(out.size() == 11);
  out.commit();
  CHECK(read_file(dir.path / "big") == std::string("abc\0\0\0\0\0\0\0z", 11));
  CHECK(dir.entries() == 1);
}

TEST_CASE("files: positioned reads stop at the end, exact reads name the file when short", "[base]") {
  Dir dir;
  std::ofstream(dir.path / "f") << "0123456789";
  InputFile in(dir.path / "f");
  CHECK(in.size() == 10);
  char buf[8] = {};
  CHECK(in.read_at(6, buf, sizeof buf) == 4);
  CHECK(std::string(buf, 4) == "6789");
  CHECK(in.read_at(100, buf, sizeof buf) == 0);
  CHECK_THROWS_WITH(in.read_exact_at(5, buf, 8),
                    (dir.path / "f").string() + ": truncated (8 bytes at offset 5 are past its end)");
  CHECK_THROWS_WITH(InputFile(dir.path / "none"), Catch::Contains("cannot read (No such file or directory)"));
}
