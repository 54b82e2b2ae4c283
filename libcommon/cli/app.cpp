#include "cli/app.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/error.h"

namespace confluent::cli {

namespace {
std::string& tool_name() {
  static std::string name = "confluent";
  return name;
}
}  // namespace

void print_completions(CLI::App& app, const std::vector<std::string>& words, size_t cword,
                       const CompletionSpec& spec);

void warn(const std::string& text) { std::cerr << tool_name() << ": warning: " << text << '\n'; }
void error(const std::string& text) { std::cerr << tool_name() << ": error: " << text << '\n'; }

std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description) {
  tool_name() = name;
  auto app = std::make_unique<CLI::App>(description, name);
  app->set_version_flag("--version", std::string(CONFLUENT_VERSION), "Show the version and exit");
  app->footer("See " + name + "(1) for details.");
  app->get_formatter()->column_width(28);
  return app;
}

namespace {
class UsageFormatter : public CLI::Formatter {
 public:
  explicit UsageFormatter(std::string usage) : usage_(std::move(usage)) {}
  std::string make_usage(const CLI::App*, std::string) const override { return "Usage: " + usage_ + "\n"; }

 private:
  std::string usage_;
};
}  // namespace

void stop_at_command(CLI::App& app, const std::string& usage) {
  app.prefix_command();
  auto formatter = std::make_shared<UsageFormatter>(usage);
  formatter->column_width(28);
  app.formatter(formatter);
}

std::vector<std::string> remaining_args(const CLI::App& app) { return app.remaining(); }

int run(CLI::App& app, int argc, char** argv, const CompletionSpec& spec, const std::function<int()>& action) {
  if (argc >= 3 && std::string(argv[1]) == "--_complete") {
    std::vector<std::string> words(argv + 3, argv + argc);
    try {
      print_completions(app, words, std::stoul(argv[2]), spec);
    } catch (const std::exception&) {
      // Completion must never print errors into the user's command line.
    }
    return 0;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    error(e.what());
    std::cerr << "Try '" << app.get_name() << " --help' for more information.\n";
    return 2;
  }
  try {
    return action();
  } catch (const Error& e) {
    std::cout.flush();
    error(e.what());
    return exit_code(e.kind());
  } catch (const std::exception& e) {
    std::cout.flush();
    error(e.what());
    return 1;
  }
}

void confirm_node_count(size_t count, int max_nodes) {
  if (max_nodes <= 0 || count <= static_cast<size_t>(max_nodes)) return;
  std::cerr << "Command is about to affect " << count << " nodes, continue (y/n)? ";
  std::cerr.flush();
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != "y" && answer != "Y") throw Error(ErrorKind::Runtime, "aborting at user request");
}

std::string read_hidden(const std::string& prompt) {
  std::cerr << prompt;
  std::cerr.flush();
  termios saved{};
  bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << '\n';
  }
  if (!got) throw Error(ErrorKind::Runtime, "no input to read a value from");
  return line;
}

}  // namespace confluent::cli
