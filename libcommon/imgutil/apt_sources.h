#pragma once
// The host's apt sources, which a Debian or Ubuntu image is built from: the mirror given to
// debootstrap, and the sources and keys copied into the image (spec §6.2, Ubuntu step 3).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace confluent::imgutil {

struct AptSource {
  std::vector<std::string> types, uris, suites, components;
  std::string signed_by;  // a keyring file, "" when none is named (or the key is inline)
};

// sources.list lines: "deb [options] uri suite [component...]".
std::vector<AptSource> parse_sources_list(std::string_view text);
// deb822 .sources stanzas (Types, URIs, Suites, Components, Signed-By, Enabled).
std::vector<AptSource> parse_deb822_sources(std::string_view text);

// The source files under `etc_apt` (/etc/apt): sources.list, then sources.list.d/*.list and
// *.sources in name order.
std::vector<std::filesystem::path> apt_source_files(const std::filesystem::path& etc_apt);
std::vector<AptSource> read_apt_sources(const std::filesystem::path& etc_apt);

// The first "deb" URI that serves `codename`. Throws Runtime naming the files looked in.
std::string debootstrap_mirror(const std::vector<AptSource>& sources, const std::string& codename);

// Build's -r values as sources.list lines: an apt line ("deb ...") as it is, else each
// comma-separated URL (a local path becomes file:) as a trusted flat repository "deb
// [trusted=yes] <url> ./".
std::vector<std::string> addrepo_lines(const std::vector<std::string>& repos);

// Replaces the image's apt sources with the host's (sources.list, sources.list.d), and copies
// the host's keyrings (trusted.gpg, trusted.gpg.d, keyrings, and every Signed-By file) that
// the image lacks.
void copy_apt_sources(const std::filesystem::path& etc_apt, const std::filesystem::path& root);

}  // namespace confluent::imgutil
