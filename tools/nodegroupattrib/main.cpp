// nodegroupattrib: list, set and clear attributes of a group.
#include "attrdb/database.h"
#include "attrdb/listing.h"
#include "cli/app.h"
#include "cli/attribute_args.h"
#include "output/node_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string group;
  std::vector<std::string> args;
  bool blame = false;
  bool clear = false;
  bool environment = false;
  bool prompt = false;
};

int run_list(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  std::vector<std::string> errors;
  auto rows = attrdb::list_group_attributes(*db, opt.group, opt.args, errors);
  {
    output::Writer out;
    for (const auto& row : rows) out.attribute(opt.group, row.name, row.text);
  }
  for (const auto& e : errors) cli::error(e);
  return errors.empty() ? 0 : 1;
}

int run_set(const Options& opt, const std::vector<std::string>& assignments) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  db->group_data(opt.group);
  std::vector<std::string> written;
  for (const auto& text : assignments) {
    for (auto& name : db->set_group_attribute(opt.group, attrdb::parse_assignment(text))) {
      written.push_back(std::move(name));
    }
  }
  db->commit();
  if (written.empty()) return 0;
  if (opt.prompt) return run_list(Options{opt.group, written});
  std::vector<std::string> errors;
  auto rows = attrdb::list_group_attributes(*db, opt.group, written, errors);
  output::Writer out;
  for (const auto& row : rows) out.attribute(opt.group, row.name, row.text);
  return 0;
}

int run_clear(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  std::vector<std::string> warnings;
  for (const auto& name : opt.args) {
    for (auto& w : db->clear_group_attribute(opt.group, name)) warnings.push_back(std::move(w));
  }
  db->commit();
  for (const auto& w : warnings) cli::warn(w);
  return 0;
}

int dispatch(const Options& opt) {
  switch (cli::attribute_action(opt.args, opt.clear, opt.environment, opt.prompt)) {
    case cli::AttributeAction::Clear: return run_clear(opt);
    case cli::AttributeAction::Environment: return run_set(opt, cli::assignments_from_environment(opt.args));
    case cli::AttributeAction::Prompt: return run_set(opt, cli::assignments_from_prompt(opt.args));
    case cli::AttributeAction::Set: return run_set(opt, opt.args);
    case cli::AttributeAction::Read: break;
  }
  return run_list(opt);
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodegroupattrib", "List, set or clear the attributes of a group.");
  Options opt;
  app->add_option("group", opt.group, "Group to act on")->required();
  app->add_option("attributes", opt.args,
                  "Attribute names or patterns to show (all, names, wildcards), or attr=value, "
                  "nodes,=RANGE, nodes-=RANGE to set");
  app->add_flag("-b,--blame", opt.blame, "Accepted for compatibility; group values are never inherited");
  app->add_flag("-c,--clear", opt.clear, "Clear the named attributes");
  app->add_flag("-e,--environment", opt.environment,
                "Set the named attributes from environment variables (dots become underscores)");
  app->add_flag("-p,--prompt", opt.prompt, "Prompt for the values of the named attributes without echo");
  cli::CompletionSpec spec{{cli::Complete::Group}, cli::Complete::Attribute};
  return cli::run(*app, argc, argv, spec, [&] { return dispatch(opt); });
}
