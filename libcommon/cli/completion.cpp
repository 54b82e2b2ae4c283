// Completion candidates for bash: the options come from the CLI11 app itself (never a
// second copy of the help), names come from the attribute store.
#include <algorithm>
#include <iostream>

#include "attrdb/database.h"
#include "attrdb/schema.h"
#include "cli/app.h"

namespace confluent::cli {

namespace {

bool takes_value(CLI::App& app, const std::string& word) {
  if (word.rfind("--", 0) == 0 && word.find('=') != std::string::npos) return false;
  const CLI::Option* opt = app.get_option_no_throw(word);
  return opt != nullptr && opt->get_type_size() != 0 && opt->get_expected_min() > 0;
}

// The subcommand named `name`, or nullptr.
CLI::App* subcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>{})) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

// An option of the tool or of the subcommand being completed that takes a value.
bool takes_value(CLI::App& app, CLI::App* sub, const std::string& word) {
  return takes_value(app, word) || (sub != nullptr && takes_value(*sub, word));
}

// What position `position` (counted from 0) holds, per `spec`, after the first word `first`.
Complete kind_at(const CompletionSpec& spec, const std::string& first, size_t position) {
  if (position > 0) {
    for (const auto& [name, kinds] : spec.subcommands) {
      if (name == first) return position - 1 < kinds.size() ? kinds[position - 1] : Complete::None;
    }
  }
  return position < spec.positionals.size() ? spec.positionals[position] : spec.rest;
}

void offer(const std::string& prefix, const std::string& cur, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    std::string full = prefix + name;
    if (full.compare(0, cur.size(), cur) == 0) std::cout << full << '\n';
  }
}

void offer_options(CLI::App& app, const std::string& cur) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    for (const auto& s : opt->get_snames()) names.push_back("-" + s);
  }
  offer("", cur, names);
}

std::vector<std::string> attribute_names(attrdb::Database* db) {
  std::vector<std::string> names;
  for (const auto& a : attrdb::schema::attributes()) names.emplace_back(a.name);
  if (db) {
    auto extra = db->extra_names();
    names.insert(names.end(), extra.begin(), extra.end());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Completes the piece after the last operator of a noderange being typed.
void offer_noderange(attrdb::Database* db, const std::string& cur, bool groups_only) {
  if (!db) return;
  size_t cut = cur.find_last_of(",@(");
  std::string prefix = cut == std::string::npos ? "" : cur.substr(0, cut + 1);
  if (cut != std::string::npos && cut + 1 < cur.size() && cur[cut + 1] == '-' && cur[cut] == ',') prefix += '-';
  std::vector<std::string> names = db->group_names();
  if (!groups_only) {
    const auto& nodes = db->all_nodes();
    names.insert(names.end(), nodes.begin(), nodes.end());
  }
  offer(prefix, cur, names);
}

}  // namespace

void print_completions(CLI::App& app, const std::vector<std::string>& words, size_t cword,
                       const CompletionSpec& spec) {
  std::string cur = cword < words.size() ? words[cword] : "";
  size_t position = 0;
  std::string first;
  CLI::App* sub = nullptr;
  for (size_t i = 1; i < cword && i < words.size(); ++i) {
    if (words[i].rfind("-", 0) == 0 && words[i].size() > 1) {
      if (takes_value(app, sub, words[i])) ++i;
      continue;
    }
    if (position++ == 0) {
      first = words[i];
      sub = subcommand(app, first);
    }
  }
  if (cur.rfind("-", 0) == 0) {
    offer_options(sub != nullptr ? *sub : app, cur);
    return;
  }
  if (cword >= 2 && takes_value(app, sub, words[cword - 1])) return;  // an option's value: nothing to offer
  Complete kind = kind_at(spec, first, position);
  if (kind == Complete::None) return;
  if (kind == Complete::Words) {  // fixed words need no store
    offer("", cur, spec.words);
    return;
  }
  std::unique_ptr<attrdb::Database> db;
  try {
    db = attrdb::Database::open(attrdb::Access::Read);
  } catch (const std::exception&) {
  }
  switch (kind) {
    case Complete::Noderange: offer_noderange(db.get(), cur, false); break;
    case Complete::Node:
      if (db) offer("", cur, db->all_nodes());
      break;
    case Complete::Group: offer_noderange(db.get(), cur, true); break;
    case Complete::Attribute: offer("", cur, attribute_names(db.get())); break;
    case Complete::Words:
    case Complete::None: break;
  }
}

}  // namespace confluent::cli
