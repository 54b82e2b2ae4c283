#include "bmc/media_publish.h"

#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <system_error>

#include "base/error.h"
#include "base/paths.h"
#include "base/strings.h"

namespace confluent::bmc {

namespace fs = std::filesystem;

namespace {

std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error(ErrorKind::Runtime, "no randomness for a media token");
  return to_hex(bytes, sizeof bytes);
}

fs::path record_of(const std::string& node) {
  return state_path("var/lib/confluent/private/media") / (node + ".published");
}

}  // namespace

std::string public_url() {
  fs::path config = state_path("etc/confluent/service.yaml");
  std::error_code ec;
  if (fs::exists(config, ec)) {
    try {
      YAML::Node root = YAML::LoadFile(config.string());
      if (root["public_url"]) {
        std::string url = root["public_url"].as<std::string>();
        while (!url.empty() && url.back() == '/') url.pop_back();
        if (!url.empty()) return url;
      }
    } catch (const YAML::Exception& e) {
      throw Error(ErrorKind::Invalid, config.string() + ": " + e.what());
    }
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string("https://") + host + "/confluent-public";
}

std::string publish_media(const std::string& node, const std::string& file) {
  std::string name = fs::path(file).filename().string();
  std::string token = random_token();
  fs::path dir = state_path("var/lib/confluent/public/media") / token;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::Runtime, "cannot create " + dir.string() + ": " + ec.message());
  fs::path target = dir / name;
  struct stat st {};
  bool readable = ::stat(file.c_str(), &st) == 0 && (st.st_mode & S_IROTH);
  if (!readable || (fs::create_hard_link(file, target, ec), ec)) {
    ec.clear();
    fs::copy_file(file, target, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      fs::remove_all(dir);
      throw Error(ErrorKind::Runtime, "cannot publish " + file + ": " + ec.message());
    }
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                    ec);
  }
  fs::path record = record_of(node);
  fs::create_directories(record.parent_path(), ec);
  std::ofstream(record, std::ios::app) << token << "\n";
  return public_url() + "/media/" + token + "/" + name;
}

size_t unpublish_media(const std::string& node) {
  fs::path record = record_of(node);
  std::ifstream in(record);
  if (!in) return 0;
  size_t removed = 0;
  std::string token;
  while (std::getline(in, token)) {
    if (token.size() != 32 || token.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    std::error_code ec;
    removed += fs::remove_all(state_path("var/lib/confluent/public/media") / token, ec) > 0 ? 1 : 0;
  }
  std::error_code ec;
  fs::remove(record, ec);
  return removed;
}

}  // namespace confluent::bmc
