#include "bmc/redfish_driver.h"

#include "bmc/media_publish.h"
#include "bmc/power_plan.h"

namespace confluent::bmc::detail {

namespace {

redfish::ResetKind reset_kind(PowerAction action, bool was_on) {
  switch (action) {
    case PowerAction::On: return redfish::ResetKind::On;
    case PowerAction::Off: return redfish::ResetKind::ForceOff;
    case PowerAction::Shutdown: return redfish::ResetKind::GracefulShutdown;
    case PowerAction::Reset: return redfish::ResetKind::ForceRestart;
    default: return was_on ? redfish::ResetKind::ForceRestart : redfish::ResetKind::On;
  }
}

const char* redfish_target(BootDevice d) {
  switch (d) {
    case BootDevice::Network: return "Pxe";
    case BootDevice::Disk: return "Hdd";
    case BootDevice::Cd: return "Cd";
    case BootDevice::Setup: return "BiosSetup";
    case BootDevice::Http: return "UefiHttp";
    case BootDevice::Default: break;
  }
  return "None";
}

// confluent's names for Redfish boot targets.
std::string device_name(const redfish::BootOverride& b) {
  if (!b.enabled) return "default";
  const std::string& t = b.target;
  if (t == "Pxe") return "network";
  if (t == "Hdd" || t == "UsbHdd" || t == "SDCard") return "hd";
  if (t == "Cd" || t == "UsbCd" || t == "Dvd") return "cd";
  if (t == "BiosSetup") return "setup";
  if (t == "UefiHttp") return b.uri.empty() ? "http" : "http " + b.uri;
  if (t == "None") return "default";
  std::string lower;
  for (char c : t) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower;
}

}  // namespace

fanout::Task<void> redfish_power(redfish::Session& s, PowerAction action, bool show_previous, ResultSink sink) {
  const std::string node = s.target().node;
  bool was_on = co_await s.powered_on();
  if (action == PowerAction::Status) {
    sink({node, was_on ? "on" : "off", ""});
    co_return;
  }
  PowerPlan plan = plan_power(action, was_on, show_previous);
  if (plan.act) co_await s.reset(reset_kind(action, was_on));
  sink({node, plan.text, ""});
}

fanout::Task<void> redfish_get_boot(redfish::Session& s, ResultSink sink) {
  redfish::BootOverride b = co_await s.boot_override();
  sink({s.target().node, device_name(b), ""});
}

fanout::Task<void> redfish_set_boot(redfish::Session& s, BootRequest request, bool then_boot, ResultSink sink) {
  redfish::BootOverride o;
  o.enabled = request.device != BootDevice::Default;
  o.target = redfish_target(request.device);
  o.persistent = request.persistent;
  o.mode = request.mode == BootMode::Legacy ? "Legacy" : "UEFI";
  o.uri = request.uri;
  co_await s.set_boot(o);
  sink({s.target().node, to_string(request.device), ""});
  if (then_boot) co_await redfish_power(s, PowerAction::Boot, false, sink);
}

fanout::Task<void> redfish_media_list(redfish::Session& s, ResultSink sink) {
  std::vector<redfish::MediaItem> items = co_await s.media();
  for (const redfish::MediaItem& item : items) {
    // As confluent: images the BMC fetches by URL are flagged insecure (nothing vouches for
    // what the URL serves); uploaded images are shown by name.
    bool url = !item.image.empty() && item.image.rfind("file:", 0) != 0;
    sink({s.target().node, url ? item.image + " (insecure)" : item.name, ""});
  }
}

fanout::Task<void> redfish_media_attach(redfish::Session& s, std::string url, ResultSink sink) {
  co_await s.attach(url);
  sink({s.target().node, "", ""});
}

fanout::Task<void> redfish_media_detach(redfish::Session& s, ResultSink sink) {
  co_await s.detach_all();
  unpublish_media(s.target().node);
  sink({s.target().node, "", ""});
}

fanout::Task<void> redfish_media_upload(redfish::Session& s, std::string file, UploadRequest request,
                                        ResultSink sink) {
  const std::string node = s.target().node;
  auto progress = [&request, node](const std::string& phase, double percent) {
    if (request.progress) request.progress(node, phase, percent);
  };
  progress("initializing", 0);
  if (co_await s.can_upload()) {
    // (Callables are built before co_await: GCC 12 destroys a temporary closure in a
    // co_await expression twice.)
    std::function<void(double)> on_progress = [progress](double fraction) { progress("upload", fraction * 100); };
    co_await s.upload(file, std::move(on_progress));
  } else {
    progress("publish", 0);
    std::string url = publish_media(node, file);
    progress("attach", 50);
    co_await s.attach(url);
  }
  progress("complete", 100);
  sink({node, "", ""});
}

}  // namespace confluent::bmc::detail
