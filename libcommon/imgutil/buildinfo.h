#pragma once
// <image root>/etc/confluentimg.buildinfo, written by build and read by exec and pack:
//   BUILDDATE=YYYY-MM-DDTHH:MM
//   ARCH=<arch>
//   BUILDSRC=<source>        (only when built from a -s source)
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace confluent::imgutil {

struct BuildInfo {
  std::string build_date;    // BUILDDATE
  std::string arch;          // ARCH
  std::string build_source;  // BUILDSRC, "" when the host's repositories were used
};

std::filesystem::path buildinfo_path(const std::filesystem::path& root);

// `when` in local time as BUILDDATE writes it: "2024-05-01T13:07".
std::string build_date(std::time_t when);

// KEY=value lines; values are trimmed, unknown keys and other lines ignored.
BuildInfo parse_buildinfo(std::string_view text);
// Throws Invalid when a value holds a line break.
std::string format_buildinfo(const BuildInfo& info);

// std::nullopt when the image has no buildinfo; throws Runtime when it cannot be read.
std::optional<BuildInfo> read_buildinfo(const std::filesystem::path& root);
// Creates etc/ when missing; the file is written atomically, mode 0644.
void write_buildinfo(const std::filesystem::path& root, const BuildInfo& info);

}  // namespace confluent::imgutil
