#pragma once
// The one interface tools use to drive BMCs: power and next boot device for many nodes at
// once. The protocol is a per-node attribute (hardwaremanagement.method), resolved here;
// tools never talk to ipmi:: or redfish:: themselves.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "attrdb/database.h"

namespace confluent::bmc {

enum class PowerAction { Status, On, Off, Shutdown, Reset, Boot };
// Http: UEFI HTTP boot (Redfish only), from BootRequest::uri when given.
enum class BootDevice { Default, Network, Disk, Cd, Setup, Http };
// Default: UEFI, as confluent asks when neither -u nor -b is given.
enum class BootMode { Default, Uefi, Legacy };

struct BootRequest {
  BootDevice device = BootDevice::Default;
  bool persistent = false;
  BootMode mode = BootMode::Default;
  std::string uri;  // for Http
};

// How to reach one node's BMC, read from the attribute store.
struct Endpoint {
  std::string node;
  std::string method;   // hardwaremanagement.method
  std::string address;  // hardwaremanagement.manager: host, host:port or [v6]:port
  std::string user;
  std::string password;
  std::string kg;  // secret.ipmikg
  // Redfish: the BMC certificate pinned for the node and what to do with an unknown one.
  std::string tls_pin;     // pubkeys.tls_hardwaremanager
  std::string tls_policy;  // pubkeys.addpolicy (tofu, manual, ca, ca-only)
};

// One line of a node's result ("on", "off->on", "network"), or an error.
struct NodeResult {
  std::string node;
  std::string text;
  std::string error;
};
using ResultSink = std::function<void(const NodeResult&)>;

struct Options {
  // Per BMC command: each command of a node's exchange (the first one including the
  // session's opening) gets this long to be answered.
  std::chrono::milliseconds timeout{5000};
  size_t concurrency = 1024;
  // Trusted CAs for the ca/ca-only policies (empty: the system's store).
  std::string ca_file;
  // A BMC certificate seen for the first time and accepted (trust on first use, or signed
  // by a trusted CA): the caller pins it in pubkeys.tls_hardwaremanager.
  std::function<void(const std::string& node, const std::string& fingerprint)> learned_certificate;
};

// Endpoints for `nodes`; a node lacking what its method needs gets a NodeResult error
// instead (sent to `sink`).
std::vector<Endpoint> resolve_endpoints(attrdb::Database& db, const noderange::NodeList& nodes,
                                        const ResultSink& sink);

// Each runs every endpoint at once on one event loop and reports each node as it finishes;
// a node that does not answer is reported within the timeout while the others go on.
void power(const std::vector<Endpoint>& endpoints, PowerAction action, bool show_previous, const Options& options,
           const ResultSink& sink);
void set_boot_device(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
                     const ResultSink& sink);
// Reports each node's next boot device ("network", "hd", ..., "default").
void get_boot_device(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink);
// Sets the next boot device, then resets a node that is on or powers on one that is off.
void boot(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
          const ResultSink& sink);

// Virtual media (Redfish). Results carry one line per item or error; successful changes
// report nothing (callers list the media afterwards, as confluent does).
// Each mounted image: "<url> (insecure)" for URLs the BMC fetches, "<name>" for uploaded ones.
void media_list(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink);
// `url_for` gives each node's URL (attribute expressions already expanded).
void media_attach(const std::vector<Endpoint>& endpoints, const std::function<std::string(const std::string&)>& url_for,
                  const Options& options, const ResultSink& sink);
// Ejects everything and removes the files published for the nodes by media_upload.
void media_detach_all(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink);

struct UploadRequest {
  std::function<std::string(const std::string& node)> file_for;  // local file per node
  // How far each node is: phase ("upload", "attach", "complete") and percent.
  std::function<void(const std::string& node, const std::string& phase, double percent)> progress;
};
// BMCs with an upload API (Lenovo XCC) get the file itself; the others get it published
// under this host's public tree at an unguessable per-node URL (see media_publish.h) and
// attached from there.
void media_upload(const std::vector<Endpoint>& endpoints, const UploadRequest& request, const Options& options,
                  const ResultSink& sink);

const char* to_string(BootDevice device);
// default, network (net, pxe), hd (disk), cd (dvd), setup (bios); throws a usage error.
BootDevice parse_boot_device(const std::string& text);
const char* to_string(PowerAction action);

}  // namespace confluent::bmc
