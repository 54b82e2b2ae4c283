#pragma once
// Package lists for imgutil build, read as confluent reads them:
//   * package names separated by whitespace, any number per line;
//   * '#' starts a comment, anywhere on a line;
//   * "%onlyarch a b" and "%onlyversions v1 v2" gate the lines after them: each directive
//     replaces the gate (it does not nest or combine), and the gate lasts to the end of the
//     file, not into included lists;
//   * "<file" or "<file>" includes another list, relative to the including list's directory
//     unless absolute; an include inside a closed gate is skipped.
// Unlike confluent, a directive without values or an unknown "%word" is an error rather than
// a package name, and include cycles are reported instead of recursing forever.
#include <filesystem>
#include <string>
#include <vector>

namespace confluent::imgutil {

// What the gates compare with, exactly: "x86_64", "9.4", "24.04".
struct PackageTarget {
  std::string arch;
  std::string version;
};

// The packages of `list` and what it includes, in order, duplicates kept. Throws Invalid
// "<file>:<line>: ..." for a bad directive or include and for an include cycle, Runtime
// "<file>: cannot read (...)" for a missing list (after "<file>:<line>: " where included).
std::vector<std::string> read_package_list(const std::filesystem::path& list, const PackageTarget& target);

// The main list, then each added list (build's -a), as one package list.
std::vector<std::string> read_package_lists(const std::filesystem::path& main,
                                            const std::vector<std::filesystem::path>& added,
                                            const PackageTarget& target);

}  // namespace confluent::imgutil
