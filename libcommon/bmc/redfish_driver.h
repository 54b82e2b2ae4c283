#pragma once
// The Redfish side of the BMC interface: per-node coroutines on a redfish::Session. Each
// reports through the sink; errors escape as exceptions for the runner to report.
#include "bmc/bmc.h"
#include "redfish/redfish.h"

namespace confluent::bmc::detail {

fanout::Task<void> redfish_power(redfish::Session& s, PowerAction action, bool show_previous, ResultSink sink);
fanout::Task<void> redfish_get_boot(redfish::Session& s, ResultSink sink);
// With `then_boot`, restarts (or powers on) the node once the device is set (nodeboot).
fanout::Task<void> redfish_set_boot(redfish::Session& s, BootRequest request, bool then_boot, ResultSink sink);
fanout::Task<void> redfish_media_list(redfish::Session& s, ResultSink sink);
fanout::Task<void> redfish_media_attach(redfish::Session& s, std::string url, ResultSink sink);
fanout::Task<void> redfish_media_detach(redfish::Session& s, ResultSink sink);
fanout::Task<void> redfish_media_upload(redfish::Session& s, std::string file, UploadRequest request, ResultSink sink);

}  // namespace confluent::bmc::detail
