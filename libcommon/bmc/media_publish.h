#pragma once
// Media for BMCs without an upload API: the file is published under this host's public tree,
// var/lib/confluent/public/media/<random token>/<file name>, served by the deployment service
// as <public_url>/media/<token>/<file name>. The token (128 random bits) keeps one node's
// image (an identity image holds its API token) from being guessed by another. What was
// published for a node is recorded in var/lib/confluent/private/media/<node>.published and
// removed by unpublish_media (nodemedia detachall).
//
// public_url comes from etc/confluent/service.yaml ("public_url: https://host/confluent-public"),
// else https://<this host's name>/confluent-public.
#include <string>

namespace confluent::bmc {

std::string public_url();
// Copies (or hard-links, when already world-readable) `file` and returns its URL.
std::string publish_media(const std::string& node, const std::string& file);
// Removes everything published for `node`; returns how many files went.
size_t unpublish_media(const std::string& node);

}  // namespace confluent::bmc
