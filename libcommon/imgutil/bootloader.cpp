#include "imgutil/bootloader.h"

#include <algorithm>
#include <cctype>

#include "base/files.h"
#include "imgutil/isolate.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

struct ArchNames {
  std::string efi;   // "x64", "aa64"
  std::string grub;  // "x86_64", "arm64": GRUB's platform directory
};

ArchNames arch_names(const std::string& arch) {
  if (arch == "aarch64") return {"aa64", "arm64"};
  return {"x64", "x86_64"};
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The image's ESP vendor directories, boot/efi/EFI/<vendor> (BOOT left out), sorted, as the
// image sees them.
std::vector<fs::path> vendor_dirs(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(resolve_in_root(root, "/boot/efi/EFI"), ec)) {
    if (e.is_directory() && upper(e.path().filename().string()) != "BOOT")
      out.push_back("/boot/efi/EFI" / e.path().filename());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first candidate (a path in the image) that is a file, links followed inside the image.
fs::path first_file(const fs::path& root, const std::vector<fs::path>& candidates, fs::path* found_as = nullptr) {
  for (const auto& c : candidates) {
    fs::path file = resolve_in_root(root, c);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    if (found_as != nullptr) *found_as = c;
    return file;
  }
  return {};
}

void copy_public(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms(0644));
}

}  // namespace

Bootloaders find_bootloaders(const fs::path& root, const std::string& arch) {
  ArchNames n = arch_names(arch);
  std::vector<fs::path> vendors = vendor_dirs(root);
  std::vector<fs::path> shims = {"/boot/efi/EFI/BOOT/BOOT" + upper(n.efi) + ".EFI", "/usr/lib64/efi/shim.efi",
                                 "/usr/lib/shim/shim" + n.efi + ".efi.signed", "/usr/lib/shim/shim" + n.efi + ".efi"};
  std::vector<fs::path> managers = {"/usr/lib/shim/mm" + n.efi + ".efi.signed", "/usr/lib/shim/mm" + n.efi + ".efi",
                                    "/usr/lib64/efi/MokManager.efi"};
  std::vector<fs::path> grubs;
  for (const auto& v : vendors) {
    shims.push_back(v / ("shim" + n.efi + ".efi"));
    managers.push_back(v / ("mm" + n.efi + ".efi"));
    grubs.push_back(v / ("grub" + n.efi + ".efi"));
  }
  fs::path signed_grub = "/usr/lib/grub/" + n.grub + "-efi-signed/grub" + n.efi + ".efi.signed";
  grubs.push_back("/usr/lib64/efi/grub.efi");
  grubs.push_back(signed_grub);
  Bootloaders b;
  fs::path grub_as;
  b.shim = first_file(root, shims);
  b.mok_manager = first_file(root, managers);
  b.grub = first_file(root, grubs, &grub_as);
  b.grub_is_debian_signed = grub_as == signed_grub;
  return b;
}

std::vector<std::string> install_bootloaders(const Bootloaders& found, const fs::path& boot, const std::string& arch,
                                             const std::string& os_id) {
  ArchNames n = arch_names(arch);
  std::vector<std::string> written;
  auto install = [&](const fs::path& from, const std::string& rel) {
    copy_public(from, boot / rel);
    written.push_back(rel);
  };
  if (!found.shim.empty()) install(found.shim, "efi/boot/BOOT" + upper(n.efi) + ".EFI");
  if (!found.mok_manager.empty()) install(found.mok_manager, "efi/boot/mm" + n.efi + ".efi");
  if (!found.grub.empty()) {
    install(found.grub, "efi/boot/grub" + n.efi + ".efi");
    install(found.grub, "efi/boot/grub.efi");
  }
  if (found.grub_is_debian_signed && !os_id.empty() && os_id.find('/') == std::string::npos) {
    std::string hint = "EFI/" + os_id + "/grub.cfg";
    fs::create_directories((boot / hint).parent_path());
    write_file_atomic(boot / hint, "", fs::perms(0644));
    written.push_back(hint);
  }
  return written;
}

}  // namespace confluent::imgutil
