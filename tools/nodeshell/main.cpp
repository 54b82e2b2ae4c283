// nodeshell: run a command on every node over ssh, in parallel.
#include "attrdb/expression.h"
#include "base/error.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/node_commands.h"

using namespace confluent;

namespace {

struct SshOptions {
  std::string login;
  int port = 0;
  int connect_timeout = 0;
  std::string substitute;
  bool no_expand = false;
};

// -s: without braces the text is appended to the node name (-s -ib), otherwise it is a
// template of its own (-s {bmc}).
std::string ssh_target(attrdb::Database& db, const std::string& node, const SshOptions& opt) {
  if (opt.substitute.empty()) return node;
  if (opt.substitute.find('{') == std::string::npos) return node + opt.substitute;
  try {
    return db.expand_template(node, opt.substitute);
  } catch (const attrdb::ExpressionError& e) {
    throw Error(ErrorKind::Invalid, "cannot expand -s '" + opt.substitute + "': " + e.what());
  }
}

std::vector<std::string> ssh_argv(const SshOptions& opt, const std::string& target, const std::string& command) {
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

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodeshell", "Run a command on every node of a noderange over ssh, in parallel, "
                                        "with {attribute} expressions expanded per node.");
  cli::stop_at_command(*app, "nodeshell [OPTIONS] noderange command...");
  cli::FanoutFlags flags;
  SshOptions ssh;
  cli::add_fanout_options(*app, flags, "--timeout");
  app->add_option("-l,--loginname", ssh.login, "Log in as USER")->type_name("USER");
  app->add_option("-p,--port", ssh.port, "Connect to ssh PORT")->type_name("PORT")->check(CLI::Range(1, 65535));
  app->add_option("-t,--connect-timeout", ssh.connect_timeout, "Give up connecting after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600));
  app->add_option("-s,--substitutename", ssh.substitute,
                  "Connect to the node name plus SUB (-s -ib), or to the expression SUB (-s {bmc})")
      ->type_name("SUB");
  app->add_flag("-x,--nonexpand", ssh.no_expand, "Do not expand {attribute} expressions in the command");
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] {
    std::vector<std::string> words = cli::remaining_args(*app);
    if (words.empty()) throw Error(ErrorKind::Usage, "a command to run is required after the noderange");
    if (ssh.substitute.find('{') != std::string::npos) attrdb::classify_value(ssh.substitute);
    return cli::run_per_node(flags, join(words, " "), !ssh.no_expand, true,
                             [&ssh](attrdb::Database& db, const std::string& node, const std::string& command) {
                               return ssh_argv(ssh, ssh_target(db, node, ssh), command);
                             });
  });
}
