// nodegrouplist: list every group.
#include "attrdb/database.h"
#include "cli/app.h"
#include "output/node_output.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("nodegrouplist", "List every group, in natural order.");
  cli::CompletionSpec spec{};
  return cli::run(*app, argc, argv, spec, [] {
    auto db = attrdb::Database::open(attrdb::Access::Read);
    output::Writer out;
    for (const auto& g : db->group_names()) out.line(g);
    return 0;
  });
}
