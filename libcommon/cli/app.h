#pragma once
// CLI11 glue shared by every tool: the common options, error-to-exit-code mapping,
// completion requests, and the -m confirmation prompt.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace confluent::cli {

// What a positional argument holds, so that bash completion can offer the right names.
enum class Complete { None, Noderange, Node, Group, Attribute, Words };

struct CompletionSpec {
  std::vector<Complete> positionals;   // by position
  Complete rest = Complete::None;      // for positions past the list
  std::vector<std::string> words;      // what a Words position offers (states, devices)
  // After a first word naming one of these subcommands, what its own positionals hold
  // (imgutil capture NODE PROFILE); the positions past its list offer nothing.
  std::vector<std::pair<std::string, std::vector<Complete>>> subcommands;
};

// An app with the house conventions: --help to stdout, --version, a pointer to the man page.
std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description);

// For tools whose arguments end in a command: options stop at the first positional after
// `leading` (the noderange), and the help shows `usage` instead of CLI11's own line.
// remaining_args() then gives the command words.
void stop_at_command(CLI::App& app, const std::string& usage);
std::vector<std::string> remaining_args(const CLI::App& app);

// Parses, runs `action` and returns the exit status: parse errors exit 2 with
// "tool: error: ..." and a hint; confluent::Error exits with its kind's code.
// `tool --_complete CWORD WORDS...` prints completion candidates instead.
int run(CLI::App& app, int argc, char** argv, const CompletionSpec& spec, const std::function<int()>& action);

// -m N: when `count` exceeds `max_nodes` (> 0), asks on stderr and reads the answer from
// stdin; anything but y/Y throws confluent::Error "aborting at user request".
void confirm_node_count(size_t count, int max_nodes);

// Reads one line without echo when stdin is a terminal (prompt on stderr).
std::string read_hidden(const std::string& prompt);

// Prints "tool: warning: text" / "tool: error: text" to stderr.
void warn(const std::string& text);
void error(const std::string& text);

}  // namespace confluent::cli
