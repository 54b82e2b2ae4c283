#include "imgutil/buildinfo.h"

#include "base/error.h"
#include "base/files.h"
#include "base/strings.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

fs::path buildinfo_path(const fs::path& root) { return root / "etc" / "confluentimg.buildinfo"; }

std::string build_date(std::time_t when) {
  std::tm local{};
  localtime_r(&when, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M", &local);
  return text;
}

BuildInfo parse_buildinfo(std::string_view text) {
  BuildInfo info;
  for (const auto& [key, value] : parse_assignments(text)) {
    if (key == "BUILDDATE") info.build_date = value;
    if (key == "ARCH") info.arch = value;
    if (key == "BUILDSRC") info.build_source = value;
  }
  return info;
}

std::string format_buildinfo(const BuildInfo& info) {
  std::string out;
  auto add = [&out](const char* key, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos) {
      throw Error(ErrorKind::Invalid, std::string("buildinfo ") + key + " value holds a line break");
    }
    out += std::string(key) + "=" + value + "\n";
  };
  add("BUILDDATE", info.build_date);
  add("ARCH", info.arch);
  if (!info.build_source.empty()) add("BUILDSRC", info.build_source);
  return out;
}

std::optional<BuildInfo> read_buildinfo(const fs::path& root) {
  fs::path file = buildinfo_path(root);
  std::error_code ec;
  if (!fs::exists(file, ec) && !ec) return std::nullopt;
  return parse_buildinfo(read_file(file));
}

void write_buildinfo(const fs::path& root, const BuildInfo& info) {
  fs::path file = buildinfo_path(root);
  std::string text = format_buildinfo(info);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw Error(ErrorKind::Runtime, file.parent_path().string() + ": cannot create (" + ec.message() + ")");
  write_file_atomic(file, text, fs::perms(0644));
}

}  // namespace confluent::imgutil
