// osdeploy: site initialization, OS media import, deployment profiles and boot payloads.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "attrdb/database.h"
#include "base/error.h"
#include "cli/app.h"
#include "osdeploy/media.h"
#include "osdeploy/profiles.h"
#include "osdeploy/site.h"

using namespace confluent;
namespace od = confluent::osdeploy;

namespace {

struct Args {
  od::InitializeFlags flags;
  bool interactive = false;
  std::string iso, name, profile, noderange;
};

bool ask(const std::string& question) {
  std::fprintf(stderr, "%s (y/N): ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

int initialize(Args& a) {
  if (a.interactive) {
    auto& f = a.flags;
    f.authorize_root_keys |= ask("Authorize root's SSH keys for node login (-u)?");
    f.ssh_ca |= ask("Create the SSH CA (-s)?");
    f.site_ca_trust |= ask("Trust the site SSH CA for host keys in ssh_known_hosts (-k)?");
    f.hostbased |= ask("Set up host-based SSH trust from nodes (-l)?");
    f.pxe |= ask("Install iPXE binaries for PXE boot into the TFTP root (-p)?");
    f.automation |= ask("Create the automation SSH key (-a)?");
    f.tls |= ask("Create the TLS CA and the deployment web service certificate (-t)?");
  }
  for (const auto& line : od::initialize(a.flags)) std::cout << line << "\n";
  return 0;
}

void require_initialized() {
  std::error_code ec;
  if (!std::filesystem::is_directory(od::public_dir(), ec)) {
    throw Error(ErrorKind::Runtime, "`osdeploy initialize` must be executed before importing any media");
  }
}

int import_media(const Args& a) {
  require_initialized();
  od::MediaInfo info = od::identify(a.iso);
  std::string name = a.name.empty() ? info.name : a.name;
  auto target = od::distributions_dir() / name;
  std::cout << "Importing from " << std::filesystem::absolute(a.iso).string() << " to " << target.string() << std::endl;
  bool tty = isatty(STDOUT_FILENO) == 1;
  od::extract(a.iso, info, target, [tty](const std::string& phase, double percent) {
    if (tty) std::printf("\r%s: %.2f%%    ", phase.c_str(), percent), std::fflush(stdout);
  });
  if (tty) std::printf("\n");
  for (const auto& p : od::create_profiles(info, target, name)) std::cout << "Deployment profile created: " << p << "\n";
  return 0;
}

int importcheck(const Args& a) {
  od::MediaInfo info = od::identify(a.iso);
  std::cout << "name: " << info.name << "\ndistro: " << info.distro << "\nversion: " << info.version
            << "\narch: " << info.arch << "\ncategory: " << info.category << "\n";
  return 0;
}

int list() {
  od::Listing l = od::list();
  std::cout << "Distributions:\n";
  for (const auto& d : l.distributions) std::cout << "    " << d << "\n";
  std::cout << "\nProfiles:\n";
  for (const auto& p : l.profiles) std::cout << "    " << p << "\n";
  std::cout << "\n";
  return 0;
}

int identimage(const Args& a) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  noderange::NodeList nodes = db->expand(a.noderange);
  std::vector<std::pair<std::string, std::string>> made;
  for (const auto& node : nodes) made.emplace_back(node, od::make_identity_image(*db, node).string());
  db->commit();  // the tokens are valid only once the images exist
  for (const auto& [node, path] : made) std::cout << node << ": " << path << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("osdeploy", "Prepare OS deployment: site content, media import, profiles, boot payloads.");
  app->require_subcommand(1);
  Args a;
  auto* init = app->add_subcommand("initialize", "Prepare this host for deployment (SSH, TLS, iPXE, site archives)");
  init->add_flag("-i,--interactive", a.interactive, "Ask for each of the steps below");
  init->add_flag("-u,--authorize-root", a.flags.authorize_root_keys, "Authorize root's SSH public keys on deployed nodes");
  init->add_flag("-s,--ssh-ca", a.flags.ssh_ca, "Create the SSH certificate authority");
  init->add_flag("-k,--trust-ca", a.flags.site_ca_trust, "Trust the site SSH CA for host keys (ssh_known_hosts)");
  init->add_flag("-t,--tls", a.flags.tls, "Create the TLS CA and the deployment web service certificate");
  init->add_flag("-p,--pxe", a.flags.pxe, "Install iPXE (Debian's ipxe package) into the TFTP root");
  init->add_flag("-l,--hostbased", a.flags.hostbased, "Set up host-based SSH authentication from the nodes");
  init->add_flag("-a,--automation", a.flags.automation, "Create the automation SSH key");
  init->add_flag("-r,--repack", a.flags.repack, "Repack the site archives only");
  auto* imp = app->add_subcommand("import", "Identify OS media, extract it and create its stock profiles");
  imp->add_option("iso", a.iso, "The ISO image")->required();
  imp->add_option("-n,--name", a.name, "Name for the distribution and profile prefix (default: detected)");
  auto* check = app->add_subcommand("importcheck", "Identify OS media without importing it");
  check->add_option("iso", a.iso, "The ISO image")->required();
  auto* ls = app->add_subcommand("list", "List imported distributions and profiles");
  auto* upd = app->add_subcommand("updateboot", "Regenerate a profile's boot.ipxe, grub.cfg and boot.img");
  upd->add_option("profile", a.profile, "Profile name")->required();
  auto* reb = app->add_subcommand("rebase", "Update a profile's unchanged files from the shipped templates");
  reb->add_option("profile", a.profile, "Profile name")->required();
  auto* ident = app->add_subcommand("identimage", "Create identity images for remote-media deployment");
  ident->add_option("noderange", a.noderange, "Nodes")->required();
  cli::CompletionSpec spec{{cli::Complete::Words, cli::Complete::None},
                           cli::Complete::None,
                           {"initialize", "import", "importcheck", "list", "updateboot", "rebase", "identimage"}};
  return cli::run(*app, argc, argv, spec, [&]() -> int {
    if (init->parsed()) return initialize(a);
    if (imp->parsed()) return import_media(a);
    if (check->parsed()) return importcheck(a);
    if (ls->parsed()) return list();
    if (upd->parsed()) {
      od::updateboot(a.profile);
      std::cout << "Updated: " << a.profile << "\n";
      return 0;
    }
    if (reb->parsed()) {
      for (const auto& line : od::rebase(a.profile)) std::cout << line << "\n";
      return 0;
    }
    return identimage(a);
  });
}
