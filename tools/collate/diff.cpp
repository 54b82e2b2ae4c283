// A line diff for -d: Myers' O(ND) shortest edit script on interned lines, bounded in
// edits (and so in memory), then similar removed/added lines paired the way ndiff pairs them.
#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>

#include "collate.h"

namespace confluent::collate {

namespace {

// Beyond this many edits, or this many steps of search, the middle is shown as a whole
// replacement: the trace of the search holds about kMaxEdits^2 ints (4 MB).
constexpr int kMaxEdits = 1000;
constexpr long kMaxSteps = 50'000'000;
// Similar pairs are looked for only in changes of at most this many removed x added lines.
constexpr std::size_t kMaxPairing = 4096;
// Lines at least this similar are shown as a -/+ pair (difflib.ndiff's cutoff).
constexpr double kSimilar = 0.75;

using Ops = std::vector<DiffOp>;

// Equal lines get equal numbers, so that the search compares integers.
void intern(const std::vector<std::string>& from, const std::vector<std::string>& to, std::vector<int>& a,
            std::vector<int>& b) {
  std::unordered_map<std::string_view, int> ids;
  auto id = [&](const std::string& line) { return ids.try_emplace(line, static_cast<int>(ids.size())).first->second; };
  a.reserve(from.size());
  b.reserve(to.size());
  for (const auto& line : from) a.push_back(id(line));
  for (const auto& line : to) b.push_back(id(line));
}

// `trace` holds, for each d, v[k] for k in [-d-1, d+1] as it was before step d.
Ops backtrack(const std::vector<int>& trace, int d_end, int n, int m) {
  Ops ops;
  int x = n, y = m;
  for (int d = d_end; d >= 0; --d) {
    const std::ptrdiff_t slice = static_cast<std::ptrdiff_t>(d) * (d + 2);  // sum of 2e+3 for e < d
    const int* v = trace.data() + slice;
    auto at = [&](int k) { return v[k + d + 1]; };
    int k = x - y;
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = at(prev_k);
    int prev_y = prev_x - prev_k;
    for (; x > prev_x && y > prev_y; --x, --y) ops.push_back(DiffOp::Same);
    if (d > 0) ops.push_back(x == prev_x ? DiffOp::Added : DiffOp::Removed);
    x = prev_x;
    y = prev_y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

// Myers (1986), forward greedy search; nullopt past kMaxEdits edits or kMaxSteps steps.
std::optional<Ops> shortest_edit(std::span<const int> a, std::span<const int> b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max_d = std::min(n + m, kMaxEdits);
  const int off = max_d + 1;
  std::vector<int> v(2 * static_cast<std::size_t>(max_d) + 3, 0);
  std::vector<int> trace;
  long steps = 0;
  for (int d = 0; d <= max_d && steps <= kMaxSteps; ++d) {
    trace.insert(trace.end(), v.begin() + (off - d - 1), v.begin() + (off + d + 2));
    for (int k = -d; k <= d; k += 2) {
      bool down = k == -d || (k != d && v[off + k - 1] < v[off + k + 1]);
      int x = down ? v[off + k + 1] : v[off + k - 1] + 1;
      int y = x - k;
      int start = x;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      steps += 1 + (x - start);
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return std::nullopt;
}

// Common prefix and suffix first: most outputs differ in a few lines only.
Ops edit_script(const std::vector<int>& a, const std::vector<int>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t post = 0;
  while (post < a.size() - pre && post < b.size() - pre && a[a.size() - 1 - post] == b[b.size() - 1 - post]) ++post;
  std::span<const int> mid_a(a.data() + pre, a.size() - pre - post);
  std::span<const int> mid_b(b.data() + pre, b.size() - pre - post);
  Ops ops(pre, DiffOp::Same);
  if (auto mid = shortest_edit(mid_a, mid_b)) {
    ops.insert(ops.end(), mid->begin(), mid->end());
  } else {
    ops.insert(ops.end(), mid_a.size(), DiffOp::Removed);
    ops.insert(ops.end(), mid_b.size(), DiffOp::Added);
  }
  ops.insert(ops.end(), post, DiffOp::Same);
  return ops;
}

// Common prefix and suffix over total length: a cheap stand-in for difflib's ratio that
// pairs "key=old" with "key=new".
double similarity(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t shorter = std::min(a.size(), b.size());
  std::size_t pre = 0;
  while (pre < shorter && a[pre] == b[pre]) ++pre;
  std::size_t post = 0;
  while (post < shorter - pre && a[a.size() - 1 - post] == b[b.size() - 1 - post]) ++post;
  return 2.0 * static_cast<double>(pre + post) / static_cast<double>(a.size() + b.size());
}

using Texts = std::span<const std::string* const>;

void append_plain(std::vector<DiffLine>& out, Texts removed, Texts added) {
  for (const std::string* t : removed) out.push_back({DiffOp::Removed, t});
  for (const std::string* t : added) out.push_back({DiffOp::Added, t});
}

// As ndiff's fancy replace: the most similar pair (first found on ties) splits the change.
void append_paired(std::vector<DiffLine>& out, Texts removed, Texts added) {
  double best = kSimilar;
  std::size_t best_r = 0, best_a = 0;
  bool found = false;
  for (std::size_t j = 0; j < added.size(); ++j) {
    for (std::size_t i = 0; i < removed.size(); ++i) {
      double s = similarity(*removed[i], *added[j]);
      if (s > best || (!found && s >= best)) best = s, best_r = i, best_a = j, found = true;
    }
  }
  if (!found) {
    append_plain(out, removed, added);
    return;
  }
  append_paired(out, removed.first(best_r), added.first(best_a));
  out.push_back({DiffOp::Removed, removed[best_r]});
  out.push_back({DiffOp::Added, added[best_a]});
  append_paired(out, removed.subspan(best_r + 1), added.subspan(best_a + 1));
}

// Each change (a run of removed and added lines) is rewritten: removed lines first, or
// similar lines in pairs.
std::vector<DiffLine> with_pairs(const std::vector<DiffLine>& lines) {
  std::vector<DiffLine> out;
  out.reserve(lines.size());
  std::vector<const std::string*> removed, added;
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].op == DiffOp::Same) {
      out.push_back(lines[i++]);
      continue;
    }
    removed.clear();
    added.clear();
    for (; i < lines.size() && lines[i].op != DiffOp::Same; ++i) {
      (lines[i].op == DiffOp::Removed ? removed : added).push_back(lines[i].text);
    }
    if (removed.size() * added.size() <= kMaxPairing) {
      append_paired(out, removed, added);
    } else {
      append_plain(out, removed, added);
    }
  }
  return out;
}

}  // namespace

std::vector<DiffLine> diff_lines(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  std::vector<int> a, b;
  intern(from, to, a, b);
  std::vector<DiffLine> lines;
  lines.reserve(std::max(from.size(), to.size()));
  std::size_t i = 0, j = 0;
  for (DiffOp op : edit_script(a, b)) {
    switch (op) {
      case DiffOp::Same:
        lines.push_back({op, &from[i++]});
        ++j;
        break;
      case DiffOp::Removed:
        lines.push_back({op, &from[i++]});
        break;
      case DiffOp::Added:
        lines.push_back({op, &to[j++]});
        break;
    }
  }
  return with_pairs(lines);
}

}  // namespace confluent::collate
