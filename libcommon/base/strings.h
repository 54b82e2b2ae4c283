#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace confluent {

std::vector<std::string> split(std::string_view text, char sep);
// The words of `text`, separated by any run of whitespace.
std::vector<std::string> split_words(std::string_view text);
// The items of an attribute list such as "10.0.0.1, 10.0.0.2" or "firmware always":
// separated by commas, whitespace or both.
std::vector<std::string> split_list(std::string_view text);
// KEY=value lines (os-release, /etc/default files, buildinfo): blank lines, comments and
// lines without '=' skipped, key and value trimmed, the value unquoted as a shell would
// ("..." with backslash escapes, '...').
std::vector<std::pair<std::string, std::string>> parse_assignments(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
// Lower-case hexadecimal of bytes (digests, random tokens).
std::string to_hex(const unsigned char* data, size_t size);
bool has_glob(std::string_view pattern);
// Shell-style wildcard match (*, ?, [...]); case-insensitive when asked.
bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case = false);
// The candidate nearest to `word` by edit distance, or "" when none is close enough.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// Splits like a POSIX shell: whitespace separates words, quotes and backslashes group them.
std::vector<std::string> shell_split(std::string_view text);

}  // namespace confluent
