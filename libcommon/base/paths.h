#pragma once
// Every file the suite reads or writes lives under the state root: $CONFLUENT_ROOT, or "/".
#include <filesystem>
#include <string_view>

namespace confluent {

std::filesystem::path state_root();
// `relative` is a confluent path without the leading slash, e.g. "etc/confluent/cfg".
std::filesystem::path state_path(std::string_view relative);

}  // namespace confluent
