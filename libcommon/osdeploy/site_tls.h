#pragma once
// The site's TLS material (osdeploy initialize -t): a CA (etc/confluent/tls/cacert.pem, the
// one nodes and BMC checks trust) and the deployment web service's key and certificate
// signed by it (etc/confluent/tls/srvkey.pem, srvcert.pem), for this host's name and
// addresses. The CA certificate is published to public/site/tls/ for the nodes.
#include <string>
#include <vector>

namespace confluent::osdeploy {

// Creates what is missing; returns true when anything was created or published anew.
bool ensure_site_tls(std::vector<std::string>& out);

}  // namespace confluent::osdeploy
