// libFuzzer target: arbitrary bytes as a noderange, expanded without a store, strictly
// and leniently over a small fixed one, then folded back. A confluent::Error is the only
// acceptable failure; any other exception, a crash, or a broken invariant is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "base/error.h"
#include "base/natural_sort.h"
#include "noderange/noderange.h"

using namespace confluent::noderange;

namespace {

constexpr size_t kMaxInput = 256;
// Far below the library's cap, so that one input stays fast and small.
constexpr size_t kFuzzMaxNames = 20000;

class FuzzResolver : public Resolver {
 public:
  FuzzResolver() {
    for (int i = 1; i <= 12; ++i) add("n" + std::to_string(i), i % 2 ? "ipmi" : "redfish");
    for (const char* name : {"d01", "d02", "d03", "d04", "r1u1", "r1u2", "r2u1", "r2u2", "node-a", "sw1.example.com"}) {
      add(name, "");
    }
    groups_["compute"] = {expand_pure("n[1-12]"), ""};
    groups_["rack1"] = {expand_pure("n[1-6]"), ""};
    groups_["odd"] = {{}, "console.method=ipmi"};
    groups_["nested"] = {{}, "odd@rack1,d0[1-2]"};
    groups_["loop"] = {{}, "n1,loop"};
    groups_["ping"] = {{}, "pong"};
    groups_["pong"] = {{}, "ping@n1"};
  }

  bool is_node(std::string_view name) override { return method_.find(name) != method_.end(); }

  std::optional<GroupInfo> group(std::string_view name) override {
    if (name == "everything") return GroupInfo{all_, ""};
    auto it = groups_.find(name);
    if (it == groups_.end()) return std::nullopt;
    return it->second;
  }

  const NodeList& all_nodes() override { return all_; }

  // Exact comparison only; regex operators test for a substring, since the point is to
  // fuzz the noderange code, not std::regex.
  NodeList filter(const Filter& f, const NodeList& candidates) override {
    if (f.attribute.rfind("secret.", 0) == 0) throw confluent::Error(confluent::ErrorKind::NotFound, "secret");
    if (f.attribute != "console.method" && f.attribute.rfind("custom.", 0) != 0) {
      throw confluent::Error(confluent::ErrorKind::NotFound, "bad attribute");
    }
    NodeList out;
    for (const std::string& node : candidates) {
      auto it = method_.find(node);
      std::string value = it == method_.end() || f.attribute != "console.method" ? "" : it->second;
      bool equal = value == f.value, contains = value.find(f.value) != std::string::npos;
      bool match = f.op == FilterOp::Equal || f.op == FilterOp::ExactEqual ? equal
                   : f.op == FilterOp::NotEqual                            ? !equal
                   : f.op == FilterOp::RegexMatch                          ? contains
                                                                           : !contains;
      if (match) out.push_back(node);
    }
    return out;
  }

 private:
  void add(const std::string& name, const std::string& method) {
    method_[name] = method;
    all_.push_back(name);
    confluent::natural_sort_unique(all_);
  }

  std::map<std::string, std::string, std::less<>> method_;
  std::map<std::string, GroupInfo, std::less<>> groups_;
  NodeList all_;
};

void require(bool condition) {
  if (!condition) std::abort();
}

bool sorted_unique(const NodeList& nodes) {
  for (size_t i = 1; i < nodes.size(); ++i) {
    if (confluent::natural_compare(nodes[i - 1], nodes[i]) >= 0) return false;
  }
  return true;
}

// Names a noderange can write literally: not read as a regex or a filter.
bool foldable(const NodeList& nodes) {
  for (const std::string& n : nodes) {
    if (n.empty() || n[0] == '~' || n[0] == '/' || n.find('=') != std::string::npos ||
        n.find("!~") != std::string::npos) {
      return false;
    }
  }
  return true;
}

void check(const NodeList& nodes) {
  require(sorted_unique(nodes));
  require(nodes.size() <= kFuzzMaxNames);
  if (foldable(nodes)) require(expand_pure(fold(nodes)) == nodes);
  fold(nodes, {{"compute", expand_pure("n[1-12]")}, {"rack1", expand_pure("n[1-6]")}, {"empty", {}}});
}

// Backtracking regex engines take exponential time on patterns like ~.*.*.*.*x; that is
// std::regex's known behaviour, not a noderange bug, so such inputs are skipped.
bool slow_regex(std::string_view text) {
  if (text.find_first_of("~/") == std::string_view::npos) return false;
  size_t quantifiers = 0;
  for (char c : text) quantifiers += c == '*' || c == '+';
  return quantifiers > 4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  if (slow_regex(text)) return 0;
  static FuzzResolver resolver;
  try {
    check(expand_pure(text, kFuzzMaxNames));
  } catch (const confluent::Error&) {
  }
  for (Mode mode : {Mode::Strict, Mode::Lenient}) {
    try {
      check(expand(text, resolver, mode, kFuzzMaxNames));
    } catch (const confluent::Error&) {
    }
  }
  return 0;
}
