#include "base/natural_sort.h"

#include <algorithm>

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

void natural_sort_unique(std::vector<std::string>& names) {
  bool sorted_unique = true;
  for (size_t k = 1; k < names.size(); ++k) {
    if (natural_compare(names[k - 1], names[k]) >= 0) {
      sorted_unique = false;
      break;
    }
  }
  if (sorted_unique) return;
  std::sort(names.begin(), names.end(), NaturalLess{});
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace confluent
