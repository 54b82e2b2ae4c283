// nodemedia: list, attach, upload and detach virtual media on nodes' BMCs (Redfish).
#include <filesystem>
#include <map>

#include "attrdb/database.h"
#include "base/error.h"
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_command.h"
#include "cli/progress_grid.h"

using namespace confluent;

namespace {

struct Request {
  cli::BmcCommand command;
  std::string verb;
  std::string argument;
};

void list(const std::vector<bmc::Endpoint>& endpoints, const bmc::Options& options, cli::BmcPrinter& printer) {
  bmc::media_list(endpoints, options, printer.sink());
}

int run_media(const Request& r) {
  static const std::map<std::string, bool> takes_argument{
      {"list", false}, {"attach", true}, {"detachall", false}, {"upload", true}};
  auto verb = takes_argument.find(r.verb);
  if (verb == takes_argument.end()) {
    throw Error(ErrorKind::Usage, "unknown subcommand '" + r.verb + "' (list, attach, detachall, upload)");
  }
  if (verb->second && r.argument.empty()) throw Error(ErrorKind::Usage, r.verb + " needs an argument");
  if (!verb->second && !r.argument.empty()) throw Error(ErrorKind::Usage, r.verb + " takes no argument");
  if (r.verb == "attach" && r.argument.find(':') == std::string::npos) {
    throw Error(ErrorKind::Usage, "Full URL required for attach");
  }

  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(r.command.noderange);
  if (r.verb != "list") cli::confirm_node_count(nodes.size(), r.command.max_nodes);
  cli::BmcPrinter printer;
  auto endpoints = bmc::resolve_endpoints(*db, nodes, printer.sink());
  bmc::Options options = cli::bmc_options(r.command, printer);

  // The URL or file name may hold attribute expressions ({node}, {bmc}...), per node.
  auto per_node = [&db](const std::string& text) {
    return [&db, text](const std::string& node) { return db->expand_template(node, text); };
  };
  if (r.verb == "list") {
    list(endpoints, options, printer);
  } else if (r.verb == "attach") {
    bmc::media_attach(endpoints, per_node(r.argument), options, printer.sink());
    list(endpoints, options, printer);
  } else if (r.verb == "detachall") {
    bmc::media_detach_all(endpoints, options, printer.sink());
  } else {
    std::string path = std::filesystem::absolute(r.argument).string();
    auto name_of = per_node(path);
    bmc::UploadRequest upload;
    upload.file_for = [name_of](const std::string& node) {
      std::string file = name_of(node);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec)) throw Error(ErrorKind::NotFound, "Unable to locate requested file " + file);
      return file;
    };
    {
      cli::ProgressGrid grid;
      upload.progress = [&grid](const std::string& node, const std::string& phase, double percent) {
        grid.update(node, phase, percent);
      };
      bmc::media_upload(endpoints, upload, options, printer.sink());
    }
    list(endpoints, options, printer);
  }
  return printer.finish();
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodemedia", "List, attach, upload or detach virtual media on the BMCs of nodes (Redfish).");
  Request r;
  cli::add_bmc_options(*app, r.command);
  app->add_option("subcommand", r.verb, "list, attach URL, upload FILE or detachall")->required();
  app->add_option("argument", r.argument, "The URL to attach or the file to upload ({node} and other expressions "
                                          "are expanded per node)");
  cli::CompletionSpec spec{{cli::Complete::Noderange, cli::Complete::Words, cli::Complete::None},
                           cli::Complete::None,
                           {"list", "attach", "detachall", "upload"}};
  return cli::run(*app, argc, argv, spec, [&] { return run_media(r); });
}
