// noderun: run a local command for every node, with per-node {attribute} expansion.
#include "base/error.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/node_commands.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("noderun", "Run a local command for every node of a noderange, in parallel, "
                                      "with {attribute} expressions expanded per node.");
  cli::stop_at_command(*app, "noderun [OPTIONS] noderange command...");
  cli::FanoutFlags flags;
  cli::add_fanout_options(*app, flags, "-t,--timeout");
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] {
    std::vector<std::string> words = cli::remaining_args(*app);
    if (words.empty()) throw Error(ErrorKind::Usage, "a command to run is required after the noderange");
    // Like confluent: the words are joined, expanded per node, then split like a shell would.
    return cli::run_per_node(flags, join(words, " "), true, false,
                             [](attrdb::Database&, const std::string&, const std::string& command) {
                               return shell_split(command);
                             });
  });
}
