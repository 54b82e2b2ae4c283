// noderange: expand, fold and count noderanges in pipelines (nodeset-style flags).
#include <filesystem>
#include <cstdio>

#include "attrdb/database.h"
#include "base/error.h"
#include "base/natural_sort.h"
#include "base/strings.h"
#include "cli/app.h"
#include "output/node_output.h"

using namespace confluent;

namespace {

struct Options {
  bool expand = false;
  bool fold = false;
  bool count = false;
  bool no_groups = false;
  std::string separator = "\n";
  std::vector<std::string> ranges;
};

// The store is read only when there is one: a pure range never needs it.
std::unique_ptr<attrdb::Database> open_store_if_any() {
  if (!std::filesystem::exists(attrdb::Database::store_file())) return nullptr;
  return attrdb::Database::open(attrdb::Access::Read);
}

bool is_plain_name(const std::string& word) {
  for (char c : word) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!plain) return false;
  }
  return !word.empty();
}

// Several noderanges are joined; sorting once at the end keeps 100k words linear-ish.
noderange::NodeList expand_all(const std::vector<std::string>& ranges, attrdb::Database* db) {
  noderange::NodeList out;
  for (const auto& r : ranges) {
    if (is_plain_name(r) && !(db && db->has_group(r))) {  // most words of a name list
      out.push_back(r);
      continue;
    }
    noderange::NodeList part = db ? db->expand(r, noderange::Mode::Lenient) : noderange::expand_pure(r);
    if (out.empty()) {
      out = std::move(part);
    } else {
      out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
  }
  natural_sort_unique(out);
  return out;
}

std::vector<std::string> words_from_stdin() {
  std::string text;
  char block[1 << 16];
  size_t n;
  while ((n = std::fread(block, 1, sizeof block, stdin)) > 0) text.append(block, n);
  std::vector<std::string> words;
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

int run(Options& opt) {
  if (opt.expand + opt.fold + opt.count > 1) throw Error(ErrorKind::Usage, "choose one of -e, -f and -c");
  if (opt.ranges.empty()) opt.ranges = words_from_stdin();
  auto db = open_store_if_any();
  noderange::NodeList nodes = expand_all(opt.ranges, db.get());
  output::Writer out;
  if (opt.count) {
    out.line(std::to_string(nodes.size()));
  } else if (opt.fold) {
    std::vector<noderange::FoldGroup> groups;
    if (db && !opt.no_groups) {
      for (const auto& g : db->group_names()) {
        if (g != "everything") groups.push_back({g, db->group_members(g)});
      }
    }
    if (!nodes.empty()) out.line(noderange::fold(nodes, groups));
  } else if (opt.separator == "\n") {
    for (const auto& n : nodes) out.line(n);
  } else if (!nodes.empty()) {
    out.line(join(nodes, opt.separator));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("noderange", "Expand, fold or count noderanges, for pipelines and scripts.");
  Options opt;
  app->add_flag("-e,--expand", opt.expand, "Print every node name, one per line (the default)");
  app->add_flag("-f,--fold", opt.fold, "Print the compact form of the names given, or of stdin");
  app->add_flag("-c,--count", opt.count, "Print the number of names");
  app->add_option("-S,--separator", opt.separator, "Separator between expanded names (default: newline)")
      ->type_name("SEP");
  app->add_flag("--no-groups", opt.no_groups, "With -f, do not replace whole groups by their names");
  app->add_option("noderange", opt.ranges, "Noderanges; several are joined; none: read them from stdin");
  cli::CompletionSpec spec{{}, cli::Complete::Noderange};
  return cli::run(*app, argc, argv, spec, [&] { return run(opt); });
}
