// osdeploy initialize: SSH and TLS material for deployment, and the site archives every
// profile's initramfs carries. Every step checks what exists first, so a second run changes
// nothing it need not change (and the archives are rewritten only when their bytes change).
#include "osdeploy/site.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "base/paths.h"
#include "base/process.h"
#include "osdeploy/files.h"
#include "osdeploy/host.h"
#include "osdeploy/site_tls.h"

namespace confluent::osdeploy {

namespace {

// Writes `content` to `p` (0644 unless `mode` says) unless it already holds exactly that.
bool write_if_changed(const fs::path& p, const std::string& content, fs::perms mode = fs::perms(0644)) {
  std::error_code ec;
  if (fs::exists(p, ec) && read_file(p) == content) return false;
  fs::create_directories(p.parent_path());
  write_file_atomic(p, content, mode);
  return true;
}

// An ed25519 key pair made by ssh-keygen, unless the private key exists.
bool ensure_ssh_key(const fs::path& key, const std::string& comment) {
  std::error_code ec;
  if (fs::exists(key, ec)) return false;
  fs::create_directories(key.parent_path());
  run_program_or_throw({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.string()});
  return true;
}

fs::path ssh_dir() { return state_path("etc/confluent/ssh"); }

bool authorize_root_keys(std::vector<std::string>& out) {
  std::vector<fs::path> keys;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state_path("root/.ssh"), ec)) {
    if (e.path().extension() == ".pub") keys.push_back(e.path());
  }
  if (keys.empty()) {
    throw Error(ErrorKind::Runtime, "No user keys for root detected, it is recommended to run ssh-keygen -t ed25519 "
                                    "to generate a user key. For optimal security, a passphrase should be used.");
  }
  std::sort(keys.begin(), keys.end());
  std::string all;
  for (const auto& k : keys) all += read_file(k);
  bool changed = write_if_changed(site_dir() / "ssh" / (short_host_name() + ".rootpubkey"), all);
  if (changed) out.push_back("Authorized root's SSH keys (" + std::to_string(keys.size()) + ") for node login");
  return changed;
}

bool ssh_ca(std::vector<std::string>& out) {
  bool made = ensure_ssh_key(ssh_dir() / "ca", "SSH CA for confluent deployment on " + short_host_name());
  if (made) out.push_back("Created SSH CA " + (ssh_dir() / "ca").string());
  bool published = write_if_changed(site_dir() / "ssh" / (short_host_name() + ".ca"), read_file(ssh_dir() / "ca.pub"));
  return made || published;
}

bool site_ca_trust(std::vector<std::string>& out) {
  fs::path ca = ssh_dir() / "ca.pub";
  std::error_code ec;
  if (!fs::exists(ca, ec)) throw Error(ErrorKind::Runtime, "no SSH CA to trust yet: run osdeploy initialize -s first");
  std::string key = read_file(ca);
  while (!key.empty() && key.back() == '\n') key.pop_back();
  std::string line = "@cert-authority * " + key;
  fs::path known = state_path("etc/ssh/ssh_known_hosts");
  std::string current = fs::exists(known, ec) ? read_file(known) : std::string();
  if (current.find(line) != std::string::npos) return false;
  if (!current.empty() && current.back() != '\n') current += '\n';
  write_if_changed(known, current + line + "\n");
  out.push_back("Trusted the site SSH CA in " + known.string());
  return true;
}

bool automation_key(std::vector<std::string>& out) {
  bool made = ensure_ssh_key(ssh_dir() / "automation", "confluent automation key on " + short_host_name());
  if (made) out.push_back("Created automation key " + (ssh_dir() / "automation").string());
  bool published = write_if_changed(site_dir() / "ssh" / (short_host_name() + ".automationpubkey"),
                                    read_file(ssh_dir() / "automation.pub"));
  return made || published;
}

// iPXE from Debian's ipxe package into the TFTP root confluent would use.
bool pxe_binaries(std::vector<std::string>& out) {
  fs::path root;
  std::error_code ec;
  for (const char* candidate : {"tftpboot", "var/lib/tftpboot", "srv/tftpboot", "srv/tftp"}) {
    if (fs::is_directory(state_path(candidate), ec)) {
      root = state_path(candidate);
      break;
    }
  }
  if (root.empty()) root = state_path("srv/tftp");  // Debian's tftpd-hpa default
  const std::pair<const char*, const char*> files[] = {{"/usr/lib/ipxe/ipxe.efi", "x86_64/ipxe.efi"},
                                                        {"/usr/lib/ipxe/undionly.kkpxe", "x86_64/ipxe.kkpxe"}};
  bool changed = false;
  for (const auto& [from, to] : files) {
    if (!fs::exists(from, ec)) throw Error(ErrorKind::Runtime, std::string(from) + " is missing (Debian package ipxe)");
    if (write_if_changed(root / "confluent" / to, read_file(from))) {
      out.push_back("Installed " + (root / "confluent" / to).string());
      changed = true;
    }
  }
  return changed;
}

bool hostbased(std::vector<std::string>& out) {
  fs::path ca = ssh_dir() / "ca";
  std::error_code ec;
  if (!fs::exists(ca, ec)) throw Error(ErrorKind::Runtime, "host-based SSH trust needs the SSH CA: add -s");
  bool changed = false;
  std::vector<std::string> certs;
  for (const auto& e : fs::directory_iterator(state_path("etc/ssh"), ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("ssh_host_", 0) != 0 || e.path().extension() != ".pub" || name.find("-cert") != std::string::npos) continue;
    fs::path cert = e.path().parent_path() / (e.path().stem().string() + "-cert.pub");
    certs.push_back("/etc/ssh/" + cert.filename().string());
    if (fs::exists(cert, ec)) continue;
    run_program_or_throw({"ssh-keygen", "-q", "-s", ca.string(), "-I", short_host_name(), "-h", "-n", short_host_name(), e.path().string()});
    out.push_back("Signed " + e.path().string());
    changed = true;
  }
  fs::path config = state_path("etc/ssh/sshd_config.d/confluent-hostbased.conf");
  std::string conf = "HostbasedAuthentication yes\nHostbasedUsesNameFromPacketOnly yes\nIgnoreRhosts no\n";
  std::sort(certs.begin(), certs.end());
  for (const auto& c : certs) conf += "HostCertificate " + c + "\n";
  if (write_if_changed(config, conf)) {
    out.push_back("Wrote " + config.string());
    changed = true;
  }
  return changed;
}

}  // namespace

std::vector<std::string> initialize(const InitializeFlags& f) {
  std::vector<std::string> out;
  bool any = f.authorize_root_keys || f.ssh_ca || f.site_ca_trust || f.tls || f.pxe || f.hostbased || f.automation ||
             f.repack;
  if (!any) {
    throw Error(ErrorKind::Usage,
                "Nothing was done, use initialize -i for interactive mode, or see initialize -h for more options");
  }
  fs::create_directories(site_dir());
  fs::create_directories(profiles_dir());
  fs::create_directories(distributions_dir());
  bool changed = false;
  // The site's identity, made once.
  if (!fs::exists(site_dir() / "confluent_uuid")) {
    unsigned char b[16];
    RAND_bytes(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    char text[37];
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    write_if_changed(site_dir() / "confluent_uuid", std::string(text) + "\n");
    changed = true;
  }
  if (f.ssh_ca) changed |= ssh_ca(out);
  if (f.authorize_root_keys) changed |= authorize_root_keys(out);
  if (f.site_ca_trust) changed |= site_ca_trust(out);
  if (f.automation) changed |= automation_key(out);
  if (f.tls) changed |= ensure_site_tls(out);
  if (f.pxe) changed |= pxe_binaries(out);
  if (f.hostbased) changed |= hostbased(out);
  if (changed || f.repack) {
    pack_site();
    out.push_back("Site initramfs content packed successfully");
  } else {
    out.push_back("Site content is up to date");
  }
  return out;
}

namespace {

// The files of the site archives, in a fixed order: confluent_uuid, then ssh/ and tls/.
std::vector<fs::path> site_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::exists(site_dir() / "confluent_uuid", ec)) files.emplace_back("confluent_uuid");
  for (const char* sub : {"ssh", "tls"}) {
    std::vector<fs::path> part;
    for (const auto& e : fs::recursive_directory_iterator(site_dir() / sub, ec)) {
      if (e.is_regular_file() || e.is_symlink()) part.push_back(fs::relative(e.path(), site_dir()));
    }
    std::sort(part.begin(), part.end());
    files.insert(files.end(), part.begin(), part.end());
  }
  return files;
}

ssize_t append(archive*, void* user, const void* data, size_t size) {
  static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
  return static_cast<ssize_t>(size);
}

// One archive of the site files: owners root, fixed times, directories first.
std::string pack(bool tgz) {
  archive* a = archive_write_new();
  if (tgz) {
    archive_write_set_format_ustar(a);
    archive_write_add_filter_gzip(a);
    archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);  // no time in the header
  } else {
    archive_write_set_format_cpio_newc(a);
  }
  archive_write_set_bytes_in_last_block(a, 1);
  std::string bytes;
  archive_write_open(a, &bytes, nullptr, append, nullptr);
  std::vector<std::string> dirs_done;
  auto add = [&](const std::string& name, const std::string& content, mode_t type, int perm, const std::string& link) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_mtime(e, 0, 0);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    if (!link.empty()) archive_entry_set_symlink(e, link.c_str());
    archive_write_header(a, e);
    if (!content.empty()) archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  };
  for (const auto& rel : site_files()) {
    std::string parent;
    for (const auto& part : rel.parent_path()) {
      parent = parent.empty() ? part.string() : parent + "/" + part.string();
      if (std::find(dirs_done.begin(), dirs_done.end(), parent) == dirs_done.end()) {
        dirs_done.push_back(parent);
        add(parent, "", AE_IFDIR, 0755, "");
      }
    }
    fs::path full = site_dir() / rel;
    if (fs::is_symlink(full)) {
      add(rel.string(), "", AE_IFLNK, 0777, fs::read_symlink(full).string());
    } else {
      bool secret = rel.filename().string().find("key") != std::string::npos && rel.extension() != ".pub";
      add(rel.string(), read_file(full), AE_IFREG, secret ? 0600 : 0644, "");
    }
  }
  archive_write_close(a);
  archive_write_free(a);
  return bytes;
}

}  // namespace

void pack_site() {
  write_if_changed(site_dir() / "initramfs.cpio", pack(false));
  write_if_changed(site_dir() / "initramfs.tgz", pack(true));
}

}  // namespace confluent::osdeploy
