#pragma once
// osdeploy initialize: the site content nodes get in their initramfs (spec §5.2), and
// per-node identity images for remote-media deployment (spec §4.6).
#include <map>
#include <string>
#include <vector>

#include "osdeploy/layout.h"

namespace confluent::attrdb {
class Database;
}

namespace confluent::osdeploy {

struct InitializeFlags {
  bool authorize_root_keys = false;  // -u
  bool ssh_ca = false;               // -s
  bool site_ca_trust = false;        // -k
  bool tls = false;                  // -t
  bool pxe = false;                  // -p
  bool hostbased = false;            // -l
  bool automation = false;           // -a
  bool repack = false;               // -r
};

// Does what the flags ask, idempotently, then repacks the site archives when anything
// changed (or with -r). Returns the lines to print.
std::vector<std::string> initialize(const InitializeFlags& flags);

// Packs public/site/{confluent_uuid,ssh/,tls/} into site/initramfs.cpio (newc) and
// site/initramfs.tgz, with fixed order, owners and times so that equal content gives equal
// bytes.
void pack_site();

// The site's confluent_uuid (public/site/confluent_uuid, made by initialize); throws
// Runtime when it is missing.
std::string site_uuid();

// A node's net.* settings per interface: net.<iface>.<leaf> under <iface>, net.<leaf> under
// "" (the default interface). Values as displayed; unset, blank and broken ones left out.
std::map<std::string, std::map<std::string, std::string>> node_net_settings(attrdb::Database& db,
                                                                           const std::string& node);

// Writes private/identity_images/<node>.img (label CNFLNT_IDNT) and
// private/identity_files/<node>.{yml,json}, with a fresh API token stored in
// secret.selfapiarmtoken. Returns the image path.
fs::path make_identity_image(attrdb::Database& db, const std::string& node);

}  // namespace confluent::osdeploy
