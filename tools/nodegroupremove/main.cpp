// nodegroupremove: delete groups; their members stay, without that group.
#include "attrdb/database.h"
#include "base/error.h"
#include "base/strings.h"
#include "cli/app.h"
#include "output/node_output.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("nodegroupremove", "Remove groups from the attribute store (their nodes stay).");
  std::string groups;
  app->add_option("groups", groups, "Group name, or several separated by commas")->required();
  cli::CompletionSpec spec{{cli::Complete::Group}};
  return cli::run(*app, argc, argv, spec, [&] {
    std::vector<std::string> names;
    for (const auto& g : split(groups, ',')) {
      if (!g.empty()) names.push_back(g);
    }
    if (names.empty()) throw Error(ErrorKind::Usage, "no group name given");
    auto db = attrdb::Database::open(attrdb::Access::Write);
    for (const auto& g : names) db->remove_group(g);
    db->commit();
    output::Writer out;
    for (const auto& g : names) out.node_line(g, "deleted");
    return 0;
  });
}
