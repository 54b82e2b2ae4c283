#include "imgutil/capture_fingerprint.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/strings.h"
#include "imgutil/kernel.h"
#include "osdeploy/layout.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

std::string text_field(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return "";
  if (!j[key].is_string()) throw Error(ErrorKind::Invalid, std::string("unexpected fingerprint (") + key + ")");
  return j[key].get<std::string>();
}

std::vector<std::string> list_field(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) throw Error(ErrorKind::Invalid, std::string("unexpected fingerprint (") + key + ")");
  for (const auto& item : j[key]) {
    if (!item.is_string()) throw Error(ErrorKind::Invalid, std::string("unexpected fingerprint (") + key + ")");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

NodeFingerprint parse_fingerprint(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) throw Error(ErrorKind::Invalid, "unexpected fingerprint (not a JSON object)");
  NodeFingerprint fp;
  std::string os_text = text_field(j, "osrelease");
  fp.os = parse_os_release(os_text);
  for (const auto& [key, value] : parse_assignments(os_text)) {
    if (key == "NAME") fp.name = value;
  }
  if (fp.name.empty()) fp.name = fp.os.id;
  fp.category = os_category(fp.os);
  fp.arch = normalize_arch(text_field(j, "arch"));
  fp.running_kernel = text_field(j, "runningkernel");
  fp.kernels = list_field(j, "kernels");
  fp.initramfs = text_field(j, "initramfs");
  fp.package_tool = text_field(j, "packagetool");
  fp.unmet_prereqs = list_field(j, "unmetprereqs");
  fp.optional_prereqs = list_field(j, "optionalprereqs");
  return fp;
}

std::string os_description(const NodeFingerprint& fp) {
  if (!fp.os.pretty_name.empty()) return fp.os.pretty_name;
  std::string text = fp.name.empty() ? "an unknown OS (no os-release)" : fp.name;
  return fp.os.version_id.empty() ? text : text + " " + fp.os.version_id;
}

fs::path boot_hook_dir(const NodeFingerprint& fp, const std::string& node) {
  std::string refused = "node '" + node + "' runs " + os_description(fp) + ", which capture does not support: ";
  if (fp.category.empty()) throw Error(ErrorKind::Invalid, refused + "it is not an OS confluent deploys");
  fs::path dir = osdeploy::diskless_templates_dir(fp.category);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(ErrorKind::Invalid, refused + "this installation has no " + fp.category + "-diskless templates in " +
                                        osdeploy::templates_dir().string());
  if (fp.initramfs != "initramfs-tools" && fp.initramfs != "dracut")
    throw Error(ErrorKind::Invalid, refused + "it makes its initramfs with neither initramfs-tools nor dracut");
  if (!fs::is_directory(dir / fp.initramfs, ec))
    throw Error(ErrorKind::Invalid,
                refused + (dir / fp.initramfs).string() + " (the " + fp.initramfs + " boot hook) is missing");
  return dir / fp.initramfs;
}

std::string install_hint(const std::string& package_tool, const std::vector<std::string>& packages) {
  std::string tool = package_tool.empty() ? "install the packages" : package_tool + " install";
  return tool + " " + join(packages, " ");
}

void check_prerequisites(const NodeFingerprint& fp, const std::string& node) {
  if (fp.unmet_prereqs.empty()) return;
  throw Error(ErrorKind::Runtime,
              "node '" + node + "' lacks what capture needs: " + install_hint(fp.package_tool, fp.unmet_prereqs));
}

std::string capture_kernel(const NodeFingerprint& fp, const std::string& node) {
  std::string best;
  for (const auto& k : fp.kernels) {
    if (k == fp.running_kernel) return k;
    if (k.find("rescue") != std::string::npos) continue;
    if (best.empty() || compare_kernel_versions(k, best) > 0) best = k;
  }
  if (best.empty()) throw Error(ErrorKind::Runtime, "node '" + node + "' has no kernel in /boot (vmlinuz-*)");
  return best;
}

}  // namespace confluent::imgutil
