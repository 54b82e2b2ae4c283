#include "cli/attribute_args.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "base/error.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/prompt.h"
#include "output/node_output.h"

namespace confluent::cli {

std::vector<std::string> assignments_from_environment(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    std::string var = name;
    for (auto& c : var) {
      if (c == '.') c = '_';
    }
    std::string upper = var;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const char* value = std::getenv(var.c_str());
    if (value == nullptr) value = std::getenv(upper.c_str());
    if (value == nullptr) {
      throw Error(ErrorKind::Usage, "'" + name + "' requested, but neither " + var + " nor " + upper +
                                        " is set in the environment");
    }
    out.push_back(name + "=" + value);
  }
  return out;
}

std::vector<std::string> assignments_from_prompt(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) out.push_back(name + "=" + prompt_value_twice(name));
  return out;
}

std::vector<std::string> assignments_from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Usage, "cannot read batch file '" + path + "'");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    for (auto& word : shell_split(line)) out.push_back(std::move(word));
  }
  require_assignments(out);
  return out;
}

void require_assignments(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a.find('=') == std::string::npos || a.front() == '=') {
      throw Error(ErrorKind::Usage, "attributes must be given as attribute=value, got '" + a + "'");
    }
  }
}

AttributeAction attribute_action(const std::vector<std::string>& args, bool clear, bool environment, bool prompt) {
  auto is_assignment = [](const std::string& a) { return a.find('=') != std::string::npos; };
  size_t sets = static_cast<size_t>(std::count_if(args.begin(), args.end(), is_assignment));
  if (clear && sets > 0) throw Error(ErrorKind::Usage, "cannot clear and set at the same time");
  if ((clear || environment || prompt) && args.empty()) {
    throw Error(ErrorKind::Usage, "attribute names required with -c, -e or -p");
  }
  if (sets > 0 && sets < args.size()) {
    auto read = std::find_if_not(args.begin(), args.end(), is_assignment);
    throw Error(ErrorKind::Usage, "cannot set and read at the same time: '" + *read + "' has no '='");
  }
  if (clear) return AttributeAction::Clear;
  if (environment) return AttributeAction::Environment;
  if (prompt) return AttributeAction::Prompt;
  return sets > 0 ? AttributeAction::Set : AttributeAction::Read;
}

std::vector<Written> apply_to_nodes(attrdb::Database& db, const noderange::NodeList& nodes,
                                    const std::vector<std::string>& assignments) {
  std::vector<Written> written;
  for (const auto& text : assignments) {
    attrdb::Assignment a = attrdb::parse_assignment(text);
    for (const auto& node : nodes) {
      for (auto& name : db.set_node_attribute(node, a)) written.push_back(Written{node, std::move(name)});
    }
  }
  return written;
}

void print_node_writes(attrdb::Database& db, const std::vector<Written>& written) {
  output::Writer out;
  std::set<std::pair<std::string, std::string>> printed;
  for (const auto& w : written) {
    if (!printed.insert({w.owner, w.name}).second) continue;
    out.attribute(w.owner, w.name, attrdb::display_text(db.resolve(w.owner, w.name), false));
  }
}

int print_node_attributes(attrdb::Database& db, const noderange::NodeList& nodes,
                          const std::vector<std::string>& requested, bool blame) {
  std::vector<std::string> errors;
  {
    output::Writer out;
    errors = attrdb::list_node_attributes(
        db, nodes, requested, [&](const std::string& node, const std::string& name, const attrdb::ResolvedValue& v) {
          out.attribute(node, name, attrdb::display_text(v, blame));
        });
  }
  for (const auto& e : errors) error(e);
  return errors.empty() ? 0 : 1;
}

}  // namespace confluent::cli
