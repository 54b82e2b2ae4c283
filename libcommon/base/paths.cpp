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

}  // namespace confluent
