// Template files, manifest.yaml and rebase (spec §5.5): a profile remembers which template
// it came from and what each file looked like when copied, so that a newer template can
// replace the files an administrator left alone and skip the ones they customised.
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "base/strings.h"
#include "osdeploy/profile_manifest.h"
#include "osdeploy/profiles.h"

namespace confluent::osdeploy {

namespace detail {

std::string substitute(std::string text, const Substitutions& subs) {
  const std::pair<std::string_view, const std::string*> keys[] = {{"%%DISTRO%%", &subs.distro},
                                                                  {"%%VERSION%%", &subs.version},
                                                                  {"%%ARCH%%", &subs.arch},
                                                                  {"%%PROFILE%%", &subs.profile}};
  for (const auto& [key, value] : keys) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value->size()))
      text.replace(at, key.size(), *value);
  }
  return text;
}

std::map<std::string, fs::path> template_files(const fs::path& dir) {
  std::map<std::string, fs::path> out;
  fs::path common = dir.parent_path().parent_path().parent_path() / "common" / "profile";
  for (const fs::path& layer : {common, dir}) {
    std::error_code ec;
    if (!fs::is_directory(layer, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(layer)) {
      if (e.is_regular_file()) out[e.path().lexically_relative(layer).generic_string()] = e.path();
    }
  }
  return out;
}

std::string sha512_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha512(), nullptr) != 1)
    throw Error(ErrorKind::Runtime, "SHA-512 failed");
  return to_hex(digest, len);
}

namespace {

// SUSE templates mark what only SUSE Linux Enterprise wants (the products and modules of its
// Full media) with lines holding %%IFSLE%% and %%ENDIFSLE%%, as confluent's suse
// initprofile.sh: the marker lines go, and for the others (openSUSE Leap) what is between.
std::string sle_blocks(const std::string& text, bool sle) {
  if (text.find("%%IFSLE%%") == std::string::npos) return text;
  std::string out;
  bool skipping = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find("%%ENDIFSLE%%") != std::string::npos)
      skipping = false;
    else if (line.find("%%IFSLE%%") != std::string::npos)
      skipping = !sle;
    else if (!skipping)
      out += line + "\n";
  }
  return out;
}

}  // namespace

std::string render(const std::string& content, const Substitutions& subs) {
  if (content.find('\0') != std::string::npos) return content;
  return substitute(sle_blocks(content, subs.distro.starts_with("sle")), subs);
}

fs::perms template_mode(const fs::path& src) {
  fs::perms mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  if ((fs::status(src).permissions() & fs::perms::owner_exec) != fs::perms::none)
    mode |= fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  return mode;
}

std::string install_template_file(const fs::path& src, const fs::path& dst, const Substitutions& subs) {
  std::string text = render(read_file(src), subs);
  fs::create_directories(dst.parent_path());
  write_file_atomic(dst, text, template_mode(src));
  return sha512_hex(text);
}

void write_manifest(const fs::path& profile_dir, const Manifest& m) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "distdir" << YAML::Value << m.distdir.string();
  const std::pair<const char*, const std::string*> fields[] = {{"category", &m.category},
                                                               {"template", &m.template_name},
                                                               {"distro", &m.distro},
                                                               {"version", &m.version},
                                                               {"arch", &m.arch}};
  for (const auto& [key, value] : fields) {
    if (!value->empty()) y << YAML::Key << key << YAML::Value << *value;
  }
  for (const auto& [key, hashes] :
       {std::pair{"disthashes", &m.disthashes}, std::pair{"profilehashes", &m.profilehashes}}) {
    y << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (const auto& [file, hash] : *hashes) y << YAML::Key << file << YAML::Value << hash;
    y << YAML::EndMap;
  }
  y << YAML::EndMap;
  std::string text =
      "# This manifest enables rebase to know original source of profile data and if any customizations have been "
      "done\n";
  text += y.c_str();
  text += "\n";
  write_file_atomic(profile_dir / "manifest.yaml", text,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

namespace {

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  return v && v.IsScalar() ? v.Scalar() : std::string();
}

std::map<std::string, std::string> hash_map(const YAML::Node& node, const char* key) {
  std::map<std::string, std::string> out;
  const YAML::Node v = node[key];
  if (!v || !v.IsMap()) return out;
  for (const auto& kv : v) {
    if (kv.first.IsScalar() && kv.second.IsScalar()) out[kv.first.Scalar()] = kv.second.Scalar();
  }
  return out;
}

}  // namespace

Manifest read_manifest(const fs::path& profile_dir) {
  fs::path file = profile_dir / "manifest.yaml";
  if (!fs::is_regular_file(file))
    throw Error(ErrorKind::Invalid,
                "Specified profile " + profile_dir.filename().string() + " does not have a manifest.yaml for rebase");
  YAML::Node root;
  try {
    root = YAML::Load(read_file(file));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::Invalid, file.string() + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) throw Error(ErrorKind::Invalid, file.string() + ": not a mapping");
  Manifest m;
  m.distdir = scalar(root, "distdir");
  m.category = scalar(root, "category");
  m.template_name = scalar(root, "template");
  m.distro = scalar(root, "distro");
  m.version = scalar(root, "version");
  m.arch = scalar(root, "arch");
  m.disthashes = hash_map(root, "disthashes");
  m.profilehashes = hash_map(root, "profilehashes");
  return m;
}

}  // namespace detail

namespace {

using namespace detail;

// The template the profile came from: where the manifest says, else (the project moved, or
// the build tree the profile was made from is gone) the same template in today's templates.
fs::path template_dir_of(const Manifest& m) {
  if (!m.distdir.empty() && fs::is_directory(m.distdir)) return m.distdir;
  if (!m.category.empty() && !m.template_name.empty()) {
    fs::path current = templates_dir() / m.category / "profiles" / m.template_name;
    if (fs::is_directory(current)) return current;
  }
  throw Error(ErrorKind::Invalid, m.distdir.string() + ": template directory not found");
}

enum class Action { Keep, Write, Skip };

// Confluent's rule: a missing file is written; one equal to the new rendering is current;
// one still as written at import (or the last rebase) is replaced; anything else was
// customised, or cannot be told from a customisation for want of manifest data.
Action decide(const fs::path& target, const std::string& fresh_hash, const std::string& original) {
  auto st = fs::symlink_status(target);
  if (!fs::exists(st)) return Action::Write;
  if (!fs::is_regular_file(st)) return Action::Skip;
  std::string current = sha512_hex(read_file(target));
  if (current == fresh_hash) return Action::Keep;
  return !original.empty() && current == original ? Action::Write : Action::Skip;
}

std::string lookup(const std::map<std::string, std::string>& hashes, const std::string& file) {
  auto it = hashes.find(file);
  return it == hashes.end() ? std::string() : it->second;
}

}  // namespace

std::vector<std::string> rebase(const std::string& profile) {
  fs::path dir = existing_profile_dir(profile);
  Manifest m = read_manifest(dir);
  fs::path tdir = template_dir_of(m);
  // Confluent's manifests carry no substitution values: its copies were verbatim.
  Substitutions subs{m.distro, m.version, m.arch, dir.filename().string()};
  bool substituting = !m.distro.empty();
  std::vector<std::string> updated, customized;
  for (const auto& [file, source] : template_files(tdir)) {
    // profile.yaml belongs to the administrator from the start (kernel arguments, label).
    if (fs::path(file).filename() == "profile.yaml") continue;
    std::string raw = read_file(source);
    std::string fresh = substituting ? render(raw, subs) : raw;
    std::string fresh_hash = sha512_hex(fresh);
    // What was written into the profile; confluent's manifests only know the template's hash.
    std::string original = lookup(m.profilehashes, file);
    if (original.empty()) original = lookup(m.disthashes, file);
    Action action = decide(dir / file, fresh_hash, original);
    if (action == Action::Skip) {
      customized.push_back(file);
      continue;
    }
    if (action == Action::Write) {
      fs::create_directories((dir / file).parent_path());
      write_file_atomic(dir / file, fresh, template_mode(source));
      updated.push_back(file);
    }
    m.disthashes[file] = sha512_hex(raw);
    m.profilehashes[file] = fresh_hash;
  }
  write_manifest(dir, m);
  std::vector<std::string> out;
  out.reserve(updated.size() + customized.size());
  for (const auto& f : updated) out.push_back("Updated: " + f);
  for (const auto& f : customized)
    out.push_back("Skipping update of " + f + " as current copy was customized or no manifest data was available");
  return out;
}

}  // namespace confluent::osdeploy
