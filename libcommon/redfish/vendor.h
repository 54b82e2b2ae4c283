#pragma once
// Vendor differences, in one table (see vendor.cpp for the list and where each comes from).
// The table only chooses the first attempt; every quirk also has an error-driven fallback, so
// an unknown or mislabelled BMC still works, with a few more round trips.
#include <string>

namespace confluent::redfish {

struct VendorTraits {
  const char* name;
  // PATCH Boot with BootSourceOverrideEnabled/Target/Mode every time (Supermicro, AMI),
  // instead of only the properties that change.
  bool boot_full_triple = false;
  // EjectMedia with a "{}" body first (Dell answers 400 and HPE 415 to an empty one).
  bool eject_with_json_body = false;
  // Lenovo XCC: URL mounts go to EXT* slots by PATCH; uploads go to RDOC* slots through
  // /rdoc_upload.
  bool xcc_slots = false;
  // HPE iLO: Boot changes are refused while the system is in POST; retry for this long.
  int busy_in_post_seconds = 0;
};

// The traits for a service root's Vendor/Oem/Product (generic DMTF when unknown).
const VendorTraits& traits_for(const std::string& vendor, const std::string& product, const std::string& oem_keys);

}  // namespace confluent::redfish
