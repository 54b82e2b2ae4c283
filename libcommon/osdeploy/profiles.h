#pragma once
// Deployment profiles: stock templates copied per distribution, boot payloads (boot.ipxe,
// grub.cfg, boot.img), listing and rebase (spec §5.3-§5.5).
#include <string>
#include <vector>

#include "osdeploy/media.h"

namespace confluent::osdeploy {

// Creates public/os/<prefix>-<template> for every template profile of info.category
// (prefix = custom name, or info.name), skipping profiles that exist; substitutes
// %%DISTRO%% %%VERSION%% %%ARCH%% %%PROFILE%% in profile.yaml (and the other text files
// that carry them); writes manifest.yaml (distdir, SHA-512 disthashes of every template
// file); builds boot/ (kernel, initramfs/ with addons and site.cpio links, efi/boot/
// loaders, distribution link) for the category; then runs updateboot. Returns the names of
// the profiles created. Throws Invalid when the category has no templates.
std::vector<std::string> create_profiles(const MediaInfo& info, const fs::path& distdir, const std::string& prefix);

// The files of template profile `template_dir` (templates/<category>/profiles/<name>),
// rendered into `work` for a profile to be named `profile` as create_profiles renders them,
// with manifest.yaml (imgutil pack uses it for the <category>-diskless templates).
void install_profile_template(const fs::path& template_dir, const fs::path& work, const std::string& profile,
                              const MediaInfo& info);

// Directories of a profile rwxr-xr-x, for the web server, whatever the umask was.
void make_profile_dirs_servable(const fs::path& dir);

// Throws Invalid "Must generate site content first (TLS (-t) and/or SSH (-s))" unless
// `osdeploy initialize` made site/initramfs.cpio, which every profile boots with.
void require_site_content();

// Regenerates boot.ipxe, grub.cfg and boot.img of a profile from its profile.yaml. Throws
// NotFound for an unknown profile, Invalid "Must generate site content first (TLS (-t)
// and/or SSH (-s))" without site/initramfs.cpio.
void updateboot(const std::string& profile);

// The initrds of a profile, in the fixed order updateboot uses: boot/initramfs/*.cpio
// sorted by name, then the other entries sorted by name, with "distribution" last.
std::vector<std::string> initrd_order(const fs::path& profile_dir);

struct Listing {
  std::vector<std::string> distributions;
  std::vector<std::string> profiles;
};
Listing list();

// Updates unchanged template files from the templates; returns one message per file:
// "Updated: <file>" or "Skipping update of <file> as current copy was customized or no
// manifest data was available". Throws Invalid "Specified profile X does not have a
// manifest.yaml for rebase".
std::vector<std::string> rebase(const std::string& profile);

}  // namespace confluent::osdeploy
