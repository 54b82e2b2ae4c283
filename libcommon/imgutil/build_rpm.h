#pragma once
// imgutil build for the RPM families (spec §6.2): EL with dnf or yum --installroot, SUSE with
// zypper -R. Only on hosts that have those tools; this build host (Debian) has neither, so
// the command lines are what the unit tests check.
#include <filesystem>
#include <string>
#include <vector>

#include "imgutil/build.h"

namespace confluent::imgutil {

// Throws Runtime naming the tool the family needs and this host lacks.
void require_rpm_tools(const BuildTarget& target);

// The .repo file for a -s source: its top-level repodata as [genimage-topdir], else each
// .treeinfo variant's repository as [genimage-<variant>], all without GPG checks.
std::string el_source_repos(const std::filesystem::path& source);

// dnf/yum's command line: [-y] [--setopt=reposdir=<reposdir> --disablerepo=* --enablerepo=genimage-*]
// [--repofrompath=addrepo-N,<url> --setopt=addrepo-N.gpgcheck=0]... --installroot=<dir>
// --releasever=<version> [--forcearch=<arch>] install <packages>.
std::vector<std::string> el_install_args(const std::string& yum, const BuildOptions& options, const BuildTarget& target,
                                         const std::filesystem::path& reposdir,
                                         const std::vector<std::string>& packages);

// The repositories zypper adds for a SUSE image: the -s source and its Module-* directories
// (and Product-HPC with them), then the -r repositories, as URLs.
std::vector<std::string> suse_repositories(const BuildOptions& options, const BuildTarget& target);

void build_el(const BuildOptions& options, const BuildTarget& target, const std::vector<std::string>& packages,
              const std::filesystem::path& category_dir);
void build_suse(const BuildOptions& options, const BuildTarget& target, const std::vector<std::string>& packages,
                const std::filesystem::path& category_dir);

}  // namespace confluent::imgutil
