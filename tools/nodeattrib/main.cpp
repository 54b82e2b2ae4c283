// nodeattrib: list, set and clear node attributes.
#include "cli/app.h"
#include "cli/attribute_args.h"
#include "nodeattrib.h"

using namespace confluent;
using namespace confluent::tools::nodeattrib;

namespace {

int dispatch(const Options& opt) {
  switch (cli::attribute_action(opt.args, opt.clear, opt.environment, opt.prompt)) {
    case cli::AttributeAction::Clear: return run_clear(opt);
    case cli::AttributeAction::Environment: return run_set(opt, cli::assignments_from_environment(opt.args));
    case cli::AttributeAction::Set: return run_set(opt, opt.args);
    case cli::AttributeAction::Prompt: {
      // Check the nodes and ask -m's question before anyone types a secret.
      check_targets(opt);
      Options confirmed = opt;
      confirmed.max_nodes = 0;
      int rc = run_set(confirmed, cli::assignments_from_prompt(opt.args));
      return rc != 0 ? rc : run_list(opt);
    }
    case cli::AttributeAction::Read: break;
  }
  if (opt.args.empty() && !opt.batch_file.empty()) return run_set(opt, cli::assignments_from_file(opt.batch_file));
  return run_list(opt);
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodeattrib", "List, set or clear attributes of the nodes of a noderange.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to act on")->required();
  app->add_option("attributes", opt.args,
                  "Attribute names or patterns to show (all, current, names, prefixes, wildcards), "
                  "or attr=value, attr,=value, attr-=value to set");
  app->add_flag("-b,--blame", opt.blame, "Show where inherited and computed values come from");
  app->add_flag("-c,--clear", opt.clear, "Clear the named attributes");
  app->add_flag("-e,--environment", opt.environment,
                "Set the named attributes from environment variables (dots become underscores)");
  app->add_flag("-p,--prompt", opt.prompt, "Prompt for the values of the named attributes without echo");
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before changing more than N nodes")
      ->type_name("N");
  app->add_option("-s,--set", opt.batch_file, "Read attr=value assignments from a file")->type_name("FILE");
  cli::CompletionSpec spec{{cli::Complete::Noderange}, cli::Complete::Attribute};
  return cli::run(*app, argc, argv, spec, [&] { return dispatch(opt); });
}
