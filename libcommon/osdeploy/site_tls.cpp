#include "osdeploy/site_tls.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "base/error.h"
#include "base/paths.h"
#include "osdeploy/files.h"
#include "osdeploy/host.h"
#include "osdeploy/layout.h"

namespace confluent::osdeploy {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

fs::path tls_dir() { return state_path("etc/confluent/tls"); }

Key new_key() {
  EVP_PKEY* k = EVP_EC_gen("P-384");
  if (k == nullptr) throw Error(ErrorKind::Runtime, "cannot generate a TLS key");
  return Key(k, EVP_PKEY_free);
}

void save_key(const fs::path& p, EVP_PKEY* k) {
  fs::create_directories(p.parent_path());
  std::FILE* f = std::fopen(p.c_str(), "w");
  if (f == nullptr) throw Error(ErrorKind::Runtime, "cannot write " + p.string());
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

void save_cert(const fs::path& p, X509* c) {
  std::FILE* f = std::fopen(p.c_str(), "w");
  if (f == nullptr) throw Error(ErrorKind::Runtime, "cannot write " + p.string());
  PEM_write_X509(f, c);
  std::fclose(f);
}

Key load_key(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "r");
  if (f == nullptr) throw Error(ErrorKind::Runtime, "cannot read " + p.string());
  EVP_PKEY* k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (k == nullptr) throw Error(ErrorKind::Invalid, p.string() + ": not a PEM private key");
  return Key(k, EVP_PKEY_free);
}

Cert load_cert(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "r");
  if (f == nullptr) throw Error(ErrorKind::Runtime, "cannot read " + p.string());
  X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (c == nullptr) throw Error(ErrorKind::Invalid, p.string() + ": not a PEM certificate");
  return Cert(c, X509_free);
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) throw Error(ErrorKind::Runtime, "bad certificate extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, long days, bool ca,
               const std::string& san) {
  Cert c(X509_new(), X509_free);
  X509_set_version(c.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), days * 86400);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : c.get();
  X509_set_issuer_name(c.get(), X509_get_subject_name(signer));
  if (ca) {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c.get(), signer, NID_ext_key_usage, "serverAuth");
    add_ext(c.get(), signer, NID_subject_alt_name, san);
  }
  add_ext(c.get(), signer, NID_subject_key_identifier, "hash");
  if (X509_sign(c.get(), issuer_key, EVP_sha384()) == 0) throw Error(ErrorKind::Runtime, "cannot sign " + cn);
  return c;
}

// DNS:<short name>,DNS:<fqdn>,IP:<every address of this host but loopback>
std::string subject_alt_names(const std::string& host) {
  std::string san = "DNS:" + host + ",DNS:localhost,IP:127.0.0.1";
  for (const auto& a : host_addresses()) san += ",IP:" + a;
  return san;
}

}  // namespace

bool ensure_site_tls(std::vector<std::string>& out) {
  char hostbuf[256] = {};
  gethostname(hostbuf, sizeof hostbuf - 1);
  std::string host = hostbuf;
  bool changed = false;
  std::error_code ec;
  fs::path cakey = tls_dir() / "cakey.pem", cacert = tls_dir() / "cacert.pem";
  if (!fs::exists(cakey, ec) || !fs::exists(cacert, ec)) {
    Key k = new_key();
    Cert c = make_cert(k.get(), "Confluent TLS Certificate authority (" + host + ")", nullptr, k.get(), 365 * 20, true, "");
    save_key(cakey, k.get());
    save_cert(cacert, c.get());
    out.push_back("Created site CA " + cacert.string());
    changed = true;
  }
  fs::path srvkey = tls_dir() / "srvkey.pem", srvcert = tls_dir() / "srvcert.pem";
  if (changed || !fs::exists(srvkey, ec) || !fs::exists(srvcert, ec)) {
    Key ca_key = load_key(cakey);
    Cert ca = load_cert(cacert);
    Key k = new_key();
    Cert c = make_cert(k.get(), host, ca.get(), ca_key.get(), 365 * 2, false, subject_alt_names(host));
    save_key(srvkey, k.get());
    save_cert(srvcert, c.get());
    out.push_back("Created deployment web service certificate " + srvcert.string());
    changed = true;
  }
  fs::path published = site_dir() / "tls" / (host.substr(0, host.find('.')) + ".pem");
  std::string pem = read_file(cacert);
  if (!fs::exists(published, ec) || read_file(published) != pem) {
    fs::create_directories(published.parent_path());
    write_file_atomic(published, pem, fs::perms(0644));
    changed = true;
  }
  return changed;
}

}  // namespace confluent::osdeploy
