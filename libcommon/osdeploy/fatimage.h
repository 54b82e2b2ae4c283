#pragma once
// FAT "big floppy" images made with mtools (mformat, mcopy), as confluent's dir2img: used
// for boot.img (UEFI HTTP boot and remote media) and identity images.
#include <string>
#include <vector>

#include "osdeploy/layout.h"

namespace confluent::osdeploy {

// Writes `image` holding the tree `dir` (symlinks followed), labelled `label` (upper-cased,
// at most 11 characters), sized to the content plus slack.
void dir_to_image(const fs::path& dir, const fs::path& image, const std::string& label);

// Runs an mtools command (mformat, mcopy, mdir...) on an image file, with the drive check
// that mtools makes of image geometry turned off; false (and `error`) when it fails.
bool run_mtools(const std::vector<std::string>& argv, std::string* error = nullptr);

}  // namespace confluent::osdeploy
