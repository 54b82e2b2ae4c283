// collate: group the "node: text" output of other commands by identical output.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "base/error.h"
#include "cli/app.h"
#include "collate.h"

using namespace confluent;
using namespace confluent::collate;

namespace {

constexpr std::string_view kClearScreen = "\x1b[2J\x1b[;H";

bool colour_wanted() {
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
}

void write_out(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int run_collate(const Options& opt, const CLI::App& app) {
  if (isatty(STDIN_FILENO)) {
    cli::error("no input: pipe the output of another command into collate");
    std::cerr << app.help();
    return 2;
  }
  std::optional<NodeLog> log;
  if (!opt.log_template.empty()) log.emplace(opt.log_template);
  const auto fold_groups = opt.abbreviate ? store_fold_groups() : std::vector<noderange::FoldGroup>{};
  const bool colour = colour_wanted();
  const bool live = opt.watch && isatty(STDOUT_FILENO);
  Collector collector;
  bool drawn = false;
  std::function<void()> redraw = [&] {
    Layout layout = arrange(collector, opt, fold_groups, false);
    write_out(std::string(kClearScreen) + render(collector, layout, opt, colour));
    drawn = true;
  };
  read_input(collector, log ? &*log : nullptr, live ? &redraw : nullptr);
  Layout layout = arrange(collector, opt, fold_groups, true);
  std::string text = opt.group_count ? std::to_string(layout.groups.size()) + "\n"
                                     : render(collector, layout, opt, colour);
  write_out(drawn ? std::string(kClearScreen) + text : text);
  return 0;
}

CLI::Validator node_placeholder() {
  return CLI::Validator(
      [](std::string& value) {
        return value.find("{node}") == std::string::npos ? "the template '" + value + "' lacks '{node}'"
                                                         : std::string();
      },
      "");
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("collate",
                           "Group the 'node: text' lines that another command pipes in by identical output:\n"
                           "  <other command> | collate [OPTIONS]");
  Options opt;
  app->add_flag("-a,--abbreviate", opt.abbreviate, "Name whole groups of the attribute store in the node lists");
  auto* diff = app->add_flag("-d,--diff", opt.diff, "Show the other outputs as differences from the most common one");
  app->add_option("-b,--base", opt.base, "With -d, compare with the output of NODE instead")
      ->type_name("NODE")
      ->needs(diff);
  app->add_flag("-w,--watch", opt.watch, "On a terminal, redraw the groups while the input arrives");
  app->add_flag("-s,--skipcommon", opt.skip_common, "Do not print the most common output");
  app->add_flag("-c,--count", opt.count, "Print the number of nodes of each group");
  app->add_flag("-r,--reverse", opt.reverse, "Print the groups in reverse order: the most common last");
  app->add_flag("-g,--groupcount", opt.group_count, "Print only the number of distinct outputs");
  app->add_option("-l,--log", opt.log_template, "Also append each node's lines to the file TEMPLATE names")
      ->type_name("TEMPLATE")
      ->check(node_placeholder());
  return cli::run(*app, argc, argv, cli::CompletionSpec{}, [&] { return run_collate(opt, *app); });
}
