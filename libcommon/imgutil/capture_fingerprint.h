#pragma once
// What a node told imgutil capture about itself (capture-node.sh getfingerprint), and the
// decisions taken from it: whether this installation can make its OS boot diskless, what it
// must install first, which kernel the profile gets.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "imgutil/os_release.h"

namespace confluent::imgutil {

struct NodeFingerprint {
  OsRelease os;
  std::string name;                           // os-release NAME ("Debian GNU/Linux"), else ID
  std::string category;                       // os_category(os): "debian", "el9"... or ""
  std::string arch;                           // normalized: x86_64, aarch64
  std::string running_kernel;                 // uname -r
  std::vector<std::string> kernels;           // the versions of /boot/vmlinuz-*
  std::string initramfs;                      // "initramfs-tools" or "dracut"
  std::string package_tool;                   // "apt", "dnf", "yum", "zypper" or ""
  std::vector<std::string> unmet_prereqs;     // packages capture needs on the node
  std::vector<std::string> optional_prereqs;  // packages of the UEFI loaders, when it has none
};

// The node's JSON: {osrelease (the file's text), arch, runningkernel, kernels, initramfs,
// packagetool, unmetprereqs, optionalprereqs}. Throws Invalid "unexpected fingerprint (...)".
NodeFingerprint parse_fingerprint(std::string_view json);

// The node's OS for messages: PRETTY_NAME, else "<NAME> <VERSION_ID>".
std::string os_description(const NodeFingerprint& fp);

// The boot hook for the node: <templates>/<category>-diskless/<initramfs>, which this
// installation must ship. Throws Invalid "node '<node>' runs <OS>, which capture does not
// support: ...".
std::filesystem::path boot_hook_dir(const NodeFingerprint& fp, const std::string& node);

// "apt install a b", "dnf install a b"...
std::string install_hint(const std::string& package_tool, const std::vector<std::string>& packages);

// Throws Runtime "node '<node>' lacks what capture needs: apt install ..." when it does.
void check_prerequisites(const NodeFingerprint& fp, const std::string& node);

// The kernel the profile boots: the running one when /boot has it (a container or chroot
// "node" may run another kernel than its own), else the newest of /boot (no rescue kernel).
// Throws Runtime "node '<node>' has no kernel in /boot".
std::string capture_kernel(const NodeFingerprint& fp, const std::string& node);

}  // namespace confluent::imgutil
