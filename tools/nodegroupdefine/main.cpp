// nodegroupdefine: create groups, optionally with attributes.
#include "attrdb/database.h"
#include "base/error.h"
#include "base/natural_sort.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/attribute_args.h"
#include "output/node_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string groups;
  std::vector<std::string> assignments;
};

int run_define(const Options& opt) {
  cli::require_assignments(opt.assignments);
  std::vector<std::string> groups;
  for (const auto& g : split(opt.groups, ',')) {
    if (!g.empty()) groups.push_back(g);
  }
  if (groups.empty()) throw Error(ErrorKind::Usage, "no group name given");
  natural_sort_unique(groups);
  auto db = attrdb::Database::open(attrdb::Access::Write);
  std::vector<bool> created;
  for (const auto& g : groups) {
    created.push_back(db->create_group(g));
    for (const auto& a : opt.assignments) db->set_group_attribute(g, attrdb::parse_assignment(a));
  }
  db->commit();
  output::Writer out;
  for (size_t i = 0; i < groups.size(); ++i) out.node_line(groups[i], created[i] ? "created" : "updated");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodegroupdefine", "Define groups, optionally with attributes.");
  Options opt;
  app->add_option("groups", opt.groups, "Group name, or several separated by commas")->required();
  app->add_option("assignments", opt.assignments, "attr=value pairs to set on every new group");
  cli::CompletionSpec spec{{cli::Complete::None}, cli::Complete::Attribute};
  return cli::run(*app, argc, argv, spec, [&] { return run_define(opt); });
}
