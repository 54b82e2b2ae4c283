// nodeshell: run a command on every node over ssh, in parallel.
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
  std::string login;
  int port = 0;
  int connect_timeout = 0;
  std::string substitute;
  bool no_expand = false;
  bool no_prefix = false;
  int max_nodes = 0;
  double timeout = 0;
};

// -s: without braces the text is appended to the node name (-s -ib), otherwise it is a
// template of its own (-s {bmc}).
std::string ssh_target(attrdb::Database& db, const std::string& node, const Options& opt) {
  if (opt.substitute.empty()) return node;
  if (opt.substitute.find('{') == std::string::npos) return node + opt.substitute;
  return db.expand_template(node, opt.substitute);
}

std::vector<std::string> ssh_argv(const Options& opt, const std::string& target, const std::string& command) {
  // BatchMode: a password or host-key prompt from a thousand nodes at once cannot be
  // answered; fail that node instead of hanging on the terminal.
  std::vector<std::string> argv{"ssh", "-o", "BatchMode=yes"};
  if (opt.port > 0) argv.insert(argv.end(), {"-p", std::to_string(opt.port)});
  if (!opt.login.empty()) argv.insert(argv.end(), {"-l", opt.login});
  if (opt.connect_timeout > 0) argv.insert(argv.end(), {"-o", "ConnectTimeout=" + std::to_string(opt.connect_timeout)});
  argv.push_back(target);
  argv.push_back(command);
  return argv;
}

int run_nodeshell(const Options& opt, const std::vector<std::string>& words) {
  if (words.empty()) throw Error(ErrorKind::Usage, "a command to run is required after the noderange");
  std::string command = join(words, " ");
  if (!opt.no_expand) attrdb::classify_value(command);
  if (opt.substitute.find('{') != std::string::npos) attrdb::classify_value(opt.substitute);
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(opt.noderange);
  cli::confirm_node_count(nodes.size(), opt.max_nodes);
  std::vector<fanout::Command> commands;
  std::vector<cli::NodeFailure> failures;
  for (const auto& node : nodes) {
    try {
      std::string remote = opt.no_expand ? command : db->expand_template(node, command);
      commands.push_back({node, ssh_argv(opt, ssh_target(*db, node, opt), remote)});
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
  run.strip_backspaces = true;
  if (opt.timeout > 0) run.timeout = std::chrono::milliseconds(std::llround(opt.timeout * 1000));
  return cli::run_node_commands(std::move(commands), failures, run);
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodeshell", "Run a command on every node of a noderange over ssh, in parallel, "
                                        "with {attribute} expressions expanded per node.");
  cli::stop_at_command(*app, "nodeshell [OPTIONS] noderange command...");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to run the command on")->required();
  app->add_option("-f,-c,--count", opt.concurrency, "Run at most N ssh sessions at once (default 168)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app->add_option("-l,--loginname", opt.login, "Log in as USER")->type_name("USER");
  app->add_option("-p,--port", opt.port, "Connect to ssh PORT")->type_name("PORT")->check(CLI::Range(1, 65535));
  app->add_option("-t,--connect-timeout", opt.connect_timeout, "Give up connecting after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  app->add_option("-s,--substitutename", opt.substitute,
                  "Connect to the node name plus SUB (-s -ib), or to the expression SUB (-s {bmc})")
      ->type_name("SUB");
  app->add_flag("-x,--nonexpand", opt.no_expand, "Do not expand {attribute} expressions in the command");
  app->add_flag("-n,--nonodeprefix", opt.no_prefix, "Do not prefix output lines with the node name");
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before running on more than N nodes")
      ->type_name("N");
  app->add_option("--timeout", opt.timeout, "Kill a node's session after SECONDS and report it as timed out")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] { return run_nodeshell(opt, cli::remaining_args(*app)); });
}
