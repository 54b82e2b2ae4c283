#include "imgutil/apt_sources.h"

#include <algorithm>

#include "base/error.h"
#include "base/files.h"
#include "base/strings.h"
#include "imgutil/isolate.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

bool has(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Copies host file `from` to `to` (a path in the image) unless the image has it.
void copy_missing(const fs::path& from, const fs::path& root, const fs::path& to) {
  fs::path dest = resolve_in_root(root, to);
  std::error_code ec;
  if (!fs::is_regular_file(from, ec) || fs::exists(fs::symlink_status(dest, ec))) return;
  fs::create_directories(dest.parent_path());
  fs::copy_file(from, dest);
}

void copy_dir_files(const fs::path& dir, const fs::path& root, const fs::path& to) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) copy_missing(e.path(), root, to / e.path().filename());
}

}  // namespace

std::vector<AptSource> parse_sources_list(std::string_view text) {
  std::vector<AptSource> out;
  for (const auto& raw : split(text, '\n')) {
    std::string line(trim(std::string_view(raw).substr(0, raw.find('#'))));
    if (line.empty()) continue;
    AptSource s;
    if (auto open = line.find('['); open != std::string::npos) {
      auto close = line.find(']', open);
      if (close == std::string::npos) continue;
      for (const auto& opt : split_words(line.substr(open + 1, close - open - 1))) {
        if (opt.starts_with("signed-by=")) s.signed_by = opt.substr(10);
      }
      line.erase(open, close - open + 1);
    }
    auto w = split_words(line);
    if (w.size() < 3) continue;
    s.types = {w[0]};
    s.uris = {w[1]};
    s.suites = {w[2]};
    s.components.assign(w.begin() + 3, w.end());
    out.push_back(s);
  }
  return out;
}

std::vector<AptSource> parse_deb822_sources(std::string_view text) {
  std::vector<AptSource> out;
  AptSource s;
  bool enabled = true, any = false;
  std::string key;
  auto finish = [&] {
    if (any && enabled && !s.uris.empty()) out.push_back(s);
    s = AptSource{};
    enabled = true;
    any = false;
  };
  for (const auto& line : split(text, '\n')) {
    if (line.starts_with("#")) continue;
    if (trim(line).empty()) {
      finish();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {  // a continuation: an inline key
      if (key == "signed-by") s.signed_by.clear();
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    key = to_lower(trim(std::string_view(line).substr(0, colon)));
    std::string value(trim(std::string_view(line).substr(colon + 1)));
    any = true;
    if (key == "types") s.types = split_words(value);
    if (key == "uris") s.uris = split_words(value);
    if (key == "suites") s.suites = split_words(value);
    if (key == "components") s.components = split_words(value);
    if (key == "signed-by") s.signed_by = value;
    if (key == "enabled") enabled = to_lower(value) != "no";
  }
  finish();
  return out;
}

std::vector<fs::path> apt_source_files(const fs::path& etc_apt) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(etc_apt / "sources.list", ec)) files.push_back(etc_apt / "sources.list");
  std::vector<fs::path> parts;
  for (const auto& e : fs::directory_iterator(etc_apt / "sources.list.d", ec)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".list" || ext == ".sources")) parts.push_back(e.path());
  }
  std::sort(parts.begin(), parts.end());
  files.insert(files.end(), parts.begin(), parts.end());
  return files;
}

std::vector<AptSource> read_apt_sources(const fs::path& etc_apt) {
  std::vector<AptSource> out;
  for (const auto& file : apt_source_files(etc_apt)) {
    std::string text = read_file(file);
    auto some = file.extension() == ".sources" ? parse_deb822_sources(text) : parse_sources_list(text);
    out.insert(out.end(), some.begin(), some.end());
  }
  return out;
}

std::string debootstrap_mirror(const std::vector<AptSource>& sources, const std::string& codename) {
  for (const auto& s : sources) {
    if (has(s.types, "deb") && has(s.suites, codename) && !s.uris.empty()) return s.uris.front();
  }
  throw Error(ErrorKind::Runtime, "no apt source for '" + codename +
                                      "' in /etc/apt/sources.list or /etc/apt/sources.list.d: no mirror to "
                                      "bootstrap the image from");
}

std::vector<std::string> addrepo_lines(const std::vector<std::string>& repos) {
  std::vector<std::string> lines;
  for (const auto& repo : repos) {
    std::string r(trim(repo));
    if (r.starts_with("deb ") || r.starts_with("deb-src ")) {
      lines.push_back(r);
      continue;
    }
    for (const auto& part : split(r, ',')) {
      std::string url(trim(part));
      if (url.empty()) continue;
      if (url.front() == '/') url = "file:" + url;
      lines.push_back("deb [trusted=yes] " + url + " ./");
    }
  }
  return lines;
}

void copy_apt_sources(const fs::path& etc_apt, const fs::path& root) {
  fs::path image_apt = resolve_in_root(root, "/etc/apt");
  fs::create_directories(image_apt / "sources.list.d");
  std::error_code ec;
  fs::remove(image_apt / "sources.list", ec);
  for (const auto& file : apt_source_files(etc_apt)) {
    fs::path rel = fs::relative(file, etc_apt);
    fs::copy_file(file, image_apt / rel, fs::copy_options::overwrite_existing);
  }
  copy_missing(etc_apt / "trusted.gpg", root, "/etc/apt/trusted.gpg");
  copy_dir_files(etc_apt / "trusted.gpg.d", root, "/etc/apt/trusted.gpg.d");
  copy_dir_files(etc_apt / "keyrings", root, "/etc/apt/keyrings");
  for (const auto& s : read_apt_sources(etc_apt)) {
    if (s.signed_by.starts_with("/")) copy_missing(s.signed_by, root, s.signed_by);
  }
}

}  // namespace confluent::imgutil
