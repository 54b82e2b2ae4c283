#pragma once
// Every file the suite reads or writes lives under the state root: $CONFLUENT_ROOT, or "/".
#include <filesystem>
#include <string_view>

namespace confluent {

std::filesystem::path state_root();
// `relative` is a confluent path without the leading slash, e.g. "etc/confluent/cfg".
std::filesystem::path state_path(std::string_view relative);

// `path` made absolute and lexically normal, without a trailing slash ("a/b/../" is
// "<cwd>/a", "/" stays "/").
std::filesystem::path normal_absolute(const std::filesystem::path& path);

// Data that ships with the tools (templates, package lists): $<env_override> when set, else
// <dir of the running executable>/../share/confluent-cpp/<component>, which the build tree
// and installs both have.
std::filesystem::path data_dir(std::string_view component, const char* env_override);

}  // namespace confluent
