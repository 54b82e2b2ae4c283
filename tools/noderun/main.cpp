// noderun: run a local command for every node, with per-node {attribute} expansion.
#include <cmath>

#include "attrdb/database.h"
#include "attrdb/expression.h"
#include "base/error.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/node_commands.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  size_t concurrency = 168;
  bool no_prefix = false;
  int max_nodes = 0;
  double timeout = 0;
};

int run_noderun(const Options& opt, const std::vector<std::string>& words) {
  if (words.empty()) throw Error(ErrorKind::Usage, "a command to run is required after the noderange");
  std::string command = join(words, " ");
  attrdb::classify_value(command);  // a malformed template fails once, before anything runs
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(opt.noderange);
  cli::confirm_node_count(nodes.size(), opt.max_nodes);
  std::vector<fanout::Command> commands;
  std::vector<cli::NodeFailure> failures;
  for (const auto& node : nodes) {
    try {
      commands.push_back({node, shell_split(db->expand_template(node, command))});
      if (commands.back().argv.empty()) {
        commands.pop_back();
        failures.push_back({node, "the command is empty after expansion"});
      }
    } catch (const attrdb::ExpressionError& e) {
      failures.push_back({node, "cannot expand '" + command + "': " + e.what()});
    } catch (const Error& e) {
      failures.push_back({node, e.what()});
    }
  }
  db.reset();
  cli::NodeCommandOptions run;
  run.concurrency = opt.concurrency;
  run.prefix = !opt.no_prefix;
  if (opt.timeout > 0) run.timeout = std::chrono::milliseconds(std::llround(opt.timeout * 1000));
  return cli::run_node_commands(std::move(commands), failures, run);
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("noderun", "Run a local command for every node of a noderange, in parallel, "
                                      "with {attribute} expressions expanded per node.");
  cli::stop_at_command(*app, "noderun [OPTIONS] noderange command...");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to run the command for")->required();
  app->add_option("-f,-c,--count", opt.concurrency, "Run at most N commands at once (default 168)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app->add_flag("-n,--nonodeprefix", opt.no_prefix, "Do not prefix output lines with the node name");
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before running for more than N nodes")
      ->type_name("N");
  app->add_option("-t,--timeout", opt.timeout, "Kill a node's command after SECONDS and report it as timed out")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] { return run_noderun(opt, cli::remaining_args(*app)); });
}
