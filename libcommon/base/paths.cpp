#include "base/paths.h"

#include <cstdlib>

namespace confluent {

std::filesystem::path state_root() {
  const char* root = std::getenv("CONFLUENT_ROOT");
  if (root == nullptr || *root == '\0') return "/";
  return root;
}

std::filesystem::path state_path(std::string_view relative) {
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  return state_root() / relative;
}

std::filesystem::path normal_absolute(const std::filesystem::path& path) {
  std::filesystem::path p = std::filesystem::absolute(path).lexically_normal();
  return p.has_parent_path() && p.filename().empty() && p != p.root_path() ? p.parent_path() : p;
}

std::filesystem::path data_dir(std::string_view component, const char* env_override) {
  if (const char* env = std::getenv(env_override); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::path("/usr/share/confluent-cpp") / component;
  return (exe.parent_path().parent_path() / "share/confluent-cpp" / component).lexically_normal();
}

}  // namespace confluent
