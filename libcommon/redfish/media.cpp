// Virtual media over Redfish: find the slots, insert by action or PATCH with the parameters
// the BMC asks for, eject whichever way it accepts, and Lenovo XCC's RDOC uploads.
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "redfish/client.h"

namespace confluent::redfish {

namespace {

struct Slot {
  std::string path, id;
  std::vector<std::string> media_types;
  std::string image, image_name, connected_via;
  bool inserted = false;
  std::string insert_target, eject_target;
  std::string allow, etag;

  bool busy() const { return !image.empty() || inserted; }
  bool optical() const {
    return std::any_of(media_types.begin(), media_types.end(), [](const std::string& t) { return t == "CD" || t == "DVD"; });
  }
  bool xcc_upload_slot() const { return id.find("RDOC") != std::string::npos; }
  bool xcc_url_slot() const { return id.find("EXT") != std::string::npos; }
};

std::string link_of(const Json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_object()) return j[key].value("@odata.id", "");
  return {};
}

std::string text_of(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

std::string action_target(const Json& member, const char* action) {
  if (!member.contains("Actions") || !member["Actions"].is_object()) return {};
  const Json& a = member["Actions"];
  return a.contains(action) && a[action].is_object() ? a[action].value("target", "") : "";
}

std::string basename_of(const std::string& url) {
  auto slash = url.find_last_of('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

// Where the virtual media are: under the System (DSP2046 2023.2, iDRAC 6+), else the Manager.
fanout::Task<std::string> collection(Client& c) {
  std::string system_path = co_await c.system_path();
  Reply system = co_await c.get(system_path);
  std::string link = link_of(system.body, "VirtualMedia");
  if (link.empty()) {
    std::string manager_path = co_await c.manager_path();
    Reply manager = co_await c.get(manager_path);
    link = link_of(manager.body, "VirtualMedia");
  }
  if (link.empty()) throw Failure("the BMC offers no virtual media");
  co_return link;
}

fanout::Task<std::vector<Slot>> read_slots(Client& c) {
  std::string where = co_await collection(c);
  Reply list = co_await c.get(where);
  std::vector<Slot> slots;
  if (!list.body.contains("Members") || !list.body["Members"].is_array()) co_return slots;
  std::vector<std::string> paths;
  for (const Json& m : list.body["Members"]) {
    if (m.is_object() && m.contains("@odata.id") && m["@odata.id"].is_string()) paths.push_back(m["@odata.id"].get<std::string>());
  }
  for (const auto& path : paths) {
    Reply r = co_await c.get(path);
    const Json& b = r.body;
    Slot s;
    s.path = path;
    s.id = text_of(b, "Id").empty() ? basename_of(path) : text_of(b, "Id");
    if (b.contains("MediaTypes") && b["MediaTypes"].is_array()) {
      for (const Json& t : b["MediaTypes"]) {
        if (t.is_string()) s.media_types.push_back(t.get<std::string>());
      }
    }
    s.image = text_of(b, "Image");
    s.image_name = text_of(b, "ImageName");
    s.connected_via = text_of(b, "ConnectedVia");
    s.inserted = b.contains("Inserted") && b["Inserted"].is_boolean() && b["Inserted"].get<bool>();
    s.insert_target = action_target(b, "#VirtualMedia.InsertMedia");
    s.eject_target = action_target(b, "#VirtualMedia.EjectMedia");
    s.allow = r.allow;
    s.etag = r.etag;
    slots.push_back(std::move(s));
  }
  co_return slots;
}

std::string scheme_of(const std::string& url) {
  std::string s = url.substr(0, url.find(':'));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::toupper(ch); });
  return s == "SMB" ? "CIFS" : s;
}

// Parameters a BMC may demand, and what to send for them.
Json optional_value(const std::string& name, const std::string& url) {
  if (name == "TransferProtocolType") return scheme_of(url);
  if (name == "TransferMethod") return "Stream";
  if (name == "Inserted" || name == "WriteProtected") return true;
  return "";  // UserName / Password: some BMCs want them even for anonymous URLs
}
const char* const kOptional[] = {"TransferProtocolType", "Inserted", "WriteProtected", "TransferMethod", "UserName",
                                 "Password"};

// Adjusts `body` to what an error asked for; false when the error is not about parameters.
bool adjust_parameters(const Failure& f, Json& body, const std::string& url) {
  bool unknown = f.has_id("ActionParameterUnknown") || f.has_id("PropertyUnknown") ||
                 f.has_id("ActionParameterNotSupported") || f.has_id("PropertyNotWritable");
  bool missing = f.has_id("ActionParameterMissing") || f.has_id("PropertyMissing") || f.status == 400;
  bool changed = false;
  for (const char* name : kOptional) {
    if (!f.mentions(name)) continue;
    if (unknown && body.contains(name)) {
      body.erase(name);
      changed = true;
    } else if (missing && !unknown && !body.contains(name)) {
      body[name] = optional_value(name, url);
      changed = true;
    }
  }
  return changed;
}

bool action_missing(const Failure& f) {
  return f.status == 404 || f.status == 405 || f.status == 501 || f.has_id("ActionNotSupported") ||
         f.has_id("ResourceMissingAtURI") || f.has_id("ResourceNotFound");
}

// Inserts by the InsertMedia action (minimal body first, adding only what the BMC asks for),
// or by PATCH of the slot when the action is absent or not served. Basic auth throughout:
// some BMCs unmount media when the session that mounted it ends.
fanout::Task<void> insert(Client& c, const Slot& slot, const std::string& url) {
  constexpr int kAttempts = 4;
  std::exception_ptr last;
  if (!slot.insert_target.empty() && !c.traits().xcc_slots) {
    Json body{{"Image", url}};
    bool fallback = false;
    for (int i = 0; i < kAttempts && !fallback; ++i) {
      try {
        co_await c.action(slot.insert_target, body, Auth::Basic);
        co_return;
      } catch (const Failure& f) {
        last = std::current_exception();
        if (action_missing(f)) {
          fallback = true;
        } else if (!adjust_parameters(f, body, url)) {
          throw;
        }
      }
    }
    if (!fallback) std::rethrow_exception(last);
  }
  Json body{{"Image", url}, {"Inserted", true}};
  for (int i = 0; i < kAttempts; ++i) {
    try {
      co_await c.patch(slot.path, body, "*", Auth::Basic);
      co_return;
    } catch (const Failure& f) {
      last = std::current_exception();
      if (!adjust_parameters(f, body, url)) throw;
    }
  }
  std::rethrow_exception(last);
}

bool nothing_to_eject(const Failure& f) {
  return f.has_id("UnableToEjectMedia") || f.mentions("not mounted") || f.mentions("No media") ||
         f.mentions("not inserted");
}

fanout::Task<void> eject(Client& c, const Slot& slot) {
  std::exception_ptr last;
  if (!slot.eject_target.empty() && !c.traits().xcc_slots) {
    // An empty body, or "{}" (Dell answers 400 and HPE 415 to an empty one).
    bool json_first = c.traits().eject_with_json_body;
    for (int i = 0; i < 2; ++i) {
      bool with_body = (i == 0) == json_first;
      try {
        if (with_body) {
          co_await c.action(slot.eject_target, Json::object(), Auth::Basic);
        } else {
          co_await c.call("POST", slot.eject_target, std::nullopt, {}, Auth::Basic);
        }
        co_return;
      } catch (const Failure& f) {
        if (nothing_to_eject(f)) co_return;
        last = std::current_exception();
        if (action_missing(f)) break;
      }
    }
  }
  Json body{{"Image", nullptr}, {"Inserted", false}};
  for (int i = 0; i < 2; ++i) {
    try {
      co_await c.patch(slot.path, body, "*", Auth::Basic);
      co_return;
    } catch (const Failure& f) {
      if (nothing_to_eject(f)) co_return;
      last = std::current_exception();
      body.erase("Inserted");  // Image alone
    }
  }
  std::rethrow_exception(last);
}

}  // namespace

fanout::Task<std::vector<MediaItem>> Session::media() {
  std::vector<MediaItem> out;
  std::vector<Slot> slots = co_await read_slots(*client_);
  for (const Slot& s : slots) {
    if (!s.busy()) continue;
    std::string name = s.image_name.empty() ? basename_of(s.image) : s.image_name;
    if (name.empty() && s.image.empty()) continue;  // nothing to name
    out.push_back({s.id, s.image, name});
  }
  co_return out;
}

fanout::Task<void> Session::attach(std::string url) {
  std::vector<Slot> slots = co_await read_slots(*client_);
  std::vector<const Slot*> candidates;
  if (client_->traits().xcc_slots) {
    bool any_ext = false;
    for (const Slot& s : slots) {
      if (!s.xcc_url_slot()) continue;
      any_ext = true;
      if (!s.busy() && (s.connected_via.empty() || s.connected_via == "NotConnected")) candidates.push_back(&s);
    }
    if (!any_ext) throw Failure("XCC does not have required license for operation");
  } else {
    // CD/DVD slots first, then the others; busy ones are skipped.
    for (int pass = 0; pass < 2; ++pass) {
      for (const Slot& s : slots) {
        if (!s.busy() && s.optical() == (pass == 0)) candidates.push_back(&s);
      }
    }
  }
  // The first slot's error is reported (the preferred one); a BMC that could not fetch the
  // image stops the search, since no other slot would fetch it either.
  std::string first;
  for (const Slot* s : candidates) {
    try {
      co_await insert(*client_, *s, url);
      co_return;
    } catch (const Failure& f) {
      if (first.empty()) first = f.what();
      if (f.mentions(url)) break;
    }
  }
  throw Failure("No virtual media device on this platform was able to accept the image" +
                (first.empty() ? std::string() : " (" + first + ")"));
}

fanout::Task<void> Session::detach_all() {
  std::vector<Slot> slots = co_await read_slots(*client_);
  for (const Slot& s : slots) {
    if (s.busy()) co_await eject(*client_, s);
  }
}

fanout::Task<bool> Session::can_upload() {
  co_await client_->root();
  if (!client_->traits().xcc_slots) co_return false;
  std::vector<Slot> slots = co_await read_slots(*client_);
  for (const Slot& s : slots) {
    if (s.xcc_upload_slot()) co_return true;
  }
  co_return false;
}

fanout::Task<void> Session::upload(std::string path, std::function<void(double)> progress) {
  std::string name = basename_of(path);
  std::vector<Slot> slots = co_await read_slots(*client_);
  const Slot* free_slot = nullptr;
  for (const Slot& s : slots) {
    if (s.xcc_upload_slot() && !s.busy()) {
      free_slot = &s;
      break;
    }
  }
  if (free_slot == nullptr) throw Failure("Maximum number of uploaded media reached");
  FormFile form{"file", path, name};
  std::string upload_path = "/rdoc_upload";
  co_await client_->upload(upload_path, std::move(form), std::move(progress));
  Json mount = Json::object();
  mount["Image"] = "file:///gpx/rdocupload/" + name;
  mount["WriteProtected"] = false;
  co_await client_->patch(free_slot->path, std::move(mount), "*", Auth::Basic);
}

}  // namespace confluent::redfish
