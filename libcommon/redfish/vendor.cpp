// Sources for each row: ../reference notes summarised in the project's man page
// nodemedia(1), "VENDOR DIFFERENCES": sushy, bmclib, Ironic and confluent's own Redfish code.
#include "redfish/vendor.h"

#include <cctype>
#include <vector>

namespace confluent::redfish {

namespace {

struct Row {
  const char* match;  // lower-case substring of vendor, product or OEM keys
  VendorTraits traits;
};

const Row kRows[] = {
    // iDRAC: EjectMedia wants "{}" (400 otherwise); VirtualMedia under the System since 6.00.
    {"dell", {"Dell iDRAC", false, true, false, 0}},
    // iLO: eject 415 without a body; UnableToModifyDuringSystemPOST while in POST.
    {"hpe", {"HPE iLO", false, true, false, 10}},
    {"hp", {"HPE iLO", false, true, false, 10}},
    // XCC: EXT1-4 by PATCH Image+Inserted; RDOC uploads.
    {"lenovo", {"Lenovo XCC", false, false, true, 0}},
    // Supermicro X11-X13: the whole boot triple every time; UsbCd instead of Cd (chosen from
    // the AllowableValues); no Inserted/WriteProtected in InsertMedia (minimal body first).
    {"supermicro", {"Supermicro", true, false, false, 0}},
    // AMI MegaRAC and ASRockRack: the whole boot triple every time.
    {"ami", {"AMI MegaRAC", true, false, false, 0}},
    {"asrockrack", {"ASRockRack", true, false, false, 0}},
};

const VendorTraits kGeneric{"DMTF Redfish", false, false, false, 0};

// Lower-case words of `text` (split at anything not a letter or digit).
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out(1);
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out.back().push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.back().empty()) {
      out.emplace_back();
    }
  }
  return out;
}

}  // namespace

const VendorTraits& traits_for(const std::string& vendor, const std::string& product, const std::string& oem_keys) {
  // The Vendor property is the most reliable; older services lack it, so OEM section names
  // and the product follow.
  for (const std::string* text : {&vendor, &oem_keys, &product}) {
    for (const std::string& word : words(*text)) {
      for (const Row& row : kRows) {
        if (word == row.match) return row.traits;
      }
    }
  }
  return kGeneric;
}

}  // namespace confluent::redfish
