#include "base/natural_sort.h"

#include <algorithm>
#include <cstdint>

namespace confluent {

namespace {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Compares two digit runs as integers without converting (runs may be longer than 64 bits).
int compare_digit_runs(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i + 1 < a.size() && a[i] == '0') ++i;
  while (j + 1 < b.size() && b[j] == '0') ++j;
  size_t la = a.size() - i, lb = b.size() - j;
  if (la != lb) return la < lb ? -1 : 1;
  for (; i < a.size(); ++i, ++j) {
    if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
  }
  return 0;
}

}  // namespace

int natural_compare(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = is_digit(a[i]), db = is_digit(b[j]);
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      int c = compare_digit_runs(a.substr(i, ei - i), b.substr(j, ej - j));
      if (c != 0) return c;
      i = ei;
      j = ej;
      continue;
    }
    if (da != db) return da ? -1 : 1;  // a digit run sorts before text, as '0' < 'a'
    char ca = lower(a[i]), cb = lower(b[j]);
    if (ca != cb) return ca < cb ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

namespace {

// A byte string whose plain comparison orders like natural_compare up to the tie-break:
// a digit run becomes 0x01, its significant length (2 bytes) and its digits, so it sorts
// before any text and by value; text is lower-cased.
void append_natural_key(std::string& key, std::string_view name) {
  size_t i = 0;
  while (i < name.size()) {
    if (!is_digit(name[i])) {
      key += lower(name[i++]);
      continue;
    }
    size_t end = i;
    while (end < name.size() && is_digit(name[end])) ++end;
    size_t start = i;
    while (start + 1 < end && name[start] == '0') ++start;
    size_t len = end - start;
    key += '\x01';
    key += static_cast<char>((len >> 8) & 0xff);
    key += static_cast<char>(len & 0xff);
    key.append(name.substr(start, len));
    i = end;
  }
}

}  // namespace

void natural_sort_unique(std::vector<std::string>& names) {
  bool sorted_unique = true;
  for (size_t k = 1; k < names.size(); ++k) {
    if (natural_compare(names[k - 1], names[k]) >= 0) {
      sorted_unique = false;
      break;
    }
  }
  if (sorted_unique) return;
  // Sorting small records over precomputed keys, kept in one buffer, is several times
  // faster than calling natural_compare for every comparison.
  struct Entry {
    uint32_t offset, length, index;
  };
  std::string arena;
  std::vector<Entry> entries(names.size());
  for (size_t k = 0; k < names.size(); ++k) {
    size_t offset = arena.size();
    append_natural_key(arena, names[k]);
    entries[k] = {static_cast<uint32_t>(offset), static_cast<uint32_t>(arena.size() - offset), static_cast<uint32_t>(k)};
  }
  std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    int c = std::string_view(arena.data() + a.offset, a.length).compare(std::string_view(arena.data() + b.offset, b.length));
    return c != 0 ? c < 0 : names[a.index] < names[b.index];
  });
  std::vector<std::string> sorted;
  sorted.reserve(names.size());
  for (const auto& e : entries) {
    if (sorted.empty() || sorted.back() != names[e.index]) sorted.push_back(std::move(names[e.index]));
  }
  names = std::move(sorted);
}

}  // namespace confluent
