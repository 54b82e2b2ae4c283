// confluent-deployd: the deployment service nodes talk to while they network-boot and
// install: public profile files, boot redirects by MAC, UUID or name, and the node API.
#include <cstdio>
#include <filesystem>

#include "base/error.h"
#include "base/paths.h"
#include "cli/app.h"
#include "server.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("confluent-deployd",
                           "Serve deployment profiles, boot redirects and the node API to deploying nodes.");
  std::vector<std::string> http, https;
  deploysvc::ServerOptions options;
  options.cert_file = state_path("etc/confluent/tls/srvcert.pem").string();
  options.key_file = state_path("etc/confluent/tls/srvkey.pem").string();
  app->add_option("--http", http, "Serve plain HTTP on ADDR:PORT, [ADDR]:PORT or :PORT (repeatable)")
      ->type_name("ADDR:PORT");
  app->add_option("--https", https, "Serve HTTPS with the site certificate on ADDR:PORT (repeatable)")
      ->type_name("ADDR:PORT");
  app->add_option("--threads", options.threads, "Worker threads (default: one per CPU)")->check(CLI::Range(1, 256));
  app->add_option("--access-log", options.access_log,
                  "Append one line per request to FILE instead of standard error; 'none' for no log")
      ->type_name("FILE");
  app->add_option("--cert", options.cert_file, "HTTPS certificate (default: the site's srvcert.pem)")
      ->type_name("FILE");
  app->add_option("--key", options.key_file, "HTTPS private key (default: the site's srvkey.pem)")->type_name("FILE");
  app->add_flag("--proxied", options.proxied,
                "Behind a local reverse proxy: take the client address and scheme from X-Forwarded-For and "
                "X-Forwarded-Proto of loopback requests");
  cli::CompletionSpec spec{{}, cli::Complete::None, {}};
  return cli::run(*app, argc, argv, spec, [&] {
    if (http.empty() && https.empty()) {
      // As a web server would: port 80, and 443 once osdeploy initialize -t made a certificate.
      http.push_back(":80");
      std::error_code ec;
      if (std::filesystem::exists(options.cert_file, ec)) https.push_back(":443");
    }
    for (const auto& a : http) options.listeners.push_back({a, false});
    for (const auto& a : https) options.listeners.push_back({a, true});
    deploysvc::run_server(options, [](const std::string& url) {
      std::fprintf(stderr, "confluent-deployd: listening on %s\n", url.c_str());
      std::fflush(stderr);
    });
    return 0;
  });
}
