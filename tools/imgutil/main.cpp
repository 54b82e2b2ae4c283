// imgutil: build diskless images, run commands in them, pack them into profiles, unpack them,
// capture running nodes into profiles.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/error.h"
#include "base/paths.h"
#include "cli/app.h"
#include "imgutil/build.h"
#include "imgutil/capture.h"
#include "imgutil/isolate.h"
#include "imgutil/pack.h"
#include "imgutil/unpack.h"

using namespace confluent;
namespace iu = confluent::imgutil;

namespace {

struct Args {
  iu::BuildOptions build;
  iu::PackOptions pack;
  iu::UnpackOptions unpack;
  iu::CaptureOptions capture;
  std::vector<std::string> volumes;
  std::string scratch, image;
};

std::vector<iu::Volume> volumes(const Args& a) {
  std::vector<iu::Volume> out;
  for (const auto& v : a.volumes) out.push_back(iu::parse_volume(v));
  return out;
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

// "\rphase: NN.NN%" redrawn on a terminal, nothing elsewhere.
iu::ImageProgress progress_line(const char* phase) {
  if (!stderr_is_terminal()) return {};
  return [phase](uint64_t done, uint64_t total) {
    std::fprintf(stderr, "\r%s: %.2f%%    %s", phase, total ? 100.0 * done / total : 100.0, done == total ? "\n" : "");
  };
}

std::optional<std::time_t> source_date_epoch() {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  if (text == nullptr || *text == '\0') return std::nullopt;
  std::string s(text);
  if (s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorKind::Usage, "SOURCE_DATE_EPOCH must be a number of seconds, not '" + s + "'");
  return static_cast<std::time_t>(std::stoll(s));
}

int run_exec(Args& a, const CLI::App& exec) {
  auto root = normal_absolute(a.scratch);
  if (!std::filesystem::is_directory(root)) throw Error(ErrorKind::NotFound, root.string() + ": no such directory");
  iu::check_image_arch(root);
  return iu::run_in_image(root, volumes(a), {cli::remaining_args(exec), {}});
}

int run_build(Args& a) {
  a.build.scratch = normal_absolute(a.scratch);
  a.build.volumes = volumes(a);
  iu::build_image(a.build);
  return 0;
}

int run_pack(Args& a) {
  a.pack.scratch = normal_absolute(a.scratch);
  a.pack.show_progress = stderr_is_terminal();
  a.pack.source_date_epoch = source_date_epoch();
  iu::PackResult r = iu::pack_image(a.pack, progress_line("encrypting"));
  for (const auto& w : r.warnings) cli::warn(w);
  std::cout << "Diskless profile created: " << a.pack.profile << "\n";
  return 0;
}

int run_unpack(Args& a) {
  a.unpack.image = a.image;
  a.unpack.target = a.scratch;
  a.unpack.show_progress = stderr_is_terminal();
  iu::unpack_image(a.unpack, progress_line("decrypting"));
  return 0;
}

// On a terminal: the steps, and the bytes of each file coming from the node.
iu::CaptureProgress capture_progress() {
  if (!stderr_is_terminal()) return {};
  iu::CaptureProgress p;
  p.step = [](const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); };
  p.receive = [](const std::string& name, uint64_t done, uint64_t size) {
    std::fprintf(stderr, "\rreceiving %s: %.1f of %.1f MiB    %s", name.c_str(), done / 1048576.0, size / 1048576.0,
                 done == size ? "\n" : "");
  };
  p.assemble = progress_line("assembling");
  p.encrypt = progress_line("encrypting");
  return p;
}

int run_capture(Args& a) {
  iu::CaptureResult r = iu::capture_node(a.capture, capture_progress());
  for (const auto& w : r.warnings) cli::warn(w);
  std::cout << "Diskless profile created: " << a.capture.profile << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app(
      "imgutil", "Build diskless images, run commands in them, pack them into profiles, capture nodes into profiles.");
  Args a;
  auto* build = app->add_subcommand("build", "Build a new diskless image root from packages");
  build->add_option("-r,--addrepos", a.build.repos, "Add a repository (apt line or URL; comma lists allowed)")
      ->allow_extra_args(false);
  build->add_option("-p,--packagelist", a.build.package_list, "Package list replacing the default one");
  build->add_option("-a,--addpackagelist", a.build.added_lists, "Package list to add (repeatable)")
      ->allow_extra_args(false);
  build->add_option("-s,--source", a.build.source, "Distribution to install from (EL and SUSE only)");
  build->add_option("--arch", a.build.arch, "Architecture to build for (default: the host's)");
  build->add_flag("-y,--non-interactive", a.build.non_interactive, "Do not ask the package manager to confirm");
  build->add_option("-v,--volume", a.volumes, "Host directory to bind read-only: /src, /src:/dst or /src:-")
      ->allow_extra_args(false);
  build->add_option("scratchdir", a.scratch, "New or empty directory to build the image root in")->required();
  auto* exec = app->add_subcommand("exec", "Run a command (default: a shell) in an image root");
  exec->add_option("-v,--volume", a.volumes, "Host directory to bind read-only: /src, /src:/dst or /src:-")
      ->allow_extra_args(false);
  exec->add_option("scratchdir", a.scratch, "Image root")->required();
  cli::stop_at_command(*exec, "imgutil exec [OPTIONS] scratchdir [command...]");
  auto* unpack = app->add_subcommand("unpack", "Unpack a profile's image into a directory");
  unpack->add_option("profilename", a.image, "Profile name, profile directory or image file")->required();
  unpack->add_option("scratchdir", a.scratch, "New or empty directory to unpack into")->required();
  auto* pack = app->add_subcommand("pack", "Pack an image root into a new diskless profile");
  pack->add_option("-b,--baseprofile", a.pack.base_profile, "Profile to copy the other files from");
  pack->add_flag("-u,--unencrypted", a.pack.unencrypted, "Do not encrypt the image");
  pack->add_option("--compress", a.pack.compression, "Squashfs compression: xz (default), zstd, gzip or lz4")
      ->check(CLI::IsMember(iu::pack_compressors()));
  pack->add_option("--compress-level", a.pack.compression_level,
                   "Compression level (zstd 1-22, default 15; gzip 1-9, default 9)")
      ->type_name("N");
  pack->add_option("scratchdir", a.scratch, "Image root")->required();
  pack->add_option("profilename", a.pack.profile, "Name of the profile to create")->required();
  auto* capture = app->add_subcommand("capture", "Capture a running node over ssh into a new diskless profile");
  capture
      ->add_option("--compress", a.capture.compression,
                   "Squashfs compressor on the node: xz (default), zstd, gzip, lz4")
      ->check(CLI::IsMember(iu::pack_compressors()));
  capture->add_option("node", a.capture.node, "Node to capture, reached as 'ssh node' (as root)")->required();
  capture->add_option("profilename", a.capture.profile, "Name of the profile to create")->required();
  cli::CompletionSpec spec{{cli::Complete::Words},
                           cli::Complete::None,
                           {"build", "exec", "unpack", "pack", "capture"},
                           {{"capture", {cli::Complete::Node}}}};
  return cli::run(*app, argc, argv, spec, [&]() -> int {
    try {
      if (build->parsed()) return run_build(a);
      if (exec->parsed()) return run_exec(a, *exec);
      if (unpack->parsed()) return run_unpack(a);
      if (pack->parsed()) return run_pack(a);
      if (capture->parsed()) return run_capture(a);
    } catch (const iu::StatusError& e) {  // the exit status of the command that failed
      cli::error(e.what());
      if (build->parsed()) cli::error("Image build failed");
      return e.status();
    }
    std::cerr << app->help();
    return 1;
  });
}
