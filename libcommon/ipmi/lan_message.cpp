#include "ipmi/lan_message.h"

namespace confluent::ipmi {

uint8_t ipmi_checksum(const uint8_t* data, size_t size) {
  uint8_t sum = 0;
  for (size_t i = 0; i < size; ++i) sum = static_cast<uint8_t>(sum + data[i]);
  return static_cast<uint8_t>(-sum);
}

Bytes encode_lan_request(const LanRequest& request) {
  Bytes out{kBmcAddress, static_cast<uint8_t>(request.netfn << 2)};
  out.push_back(ipmi_checksum(out.data(), 2));
  out.push_back(kConsoleAddress);
  out.push_back(static_cast<uint8_t>((request.seq & 0x3f) << 2));
  out.push_back(request.cmd);
  append(out, request.data);
  out.push_back(ipmi_checksum(out.data() + 3, out.size() - 3));
  return out;
}

LanResponse decode_lan_response(const Bytes& message) {
  // rqAddr, netFn/rqLUN, checksum 1, rsAddr, rqSeq/rsLUN, cmd, completion code, data, checksum 2
  need(message.size(), 8, "ipmi response");
  if (ipmi_checksum(message.data(), 2) != message[2]) throw DecodeError("ipmi response: bad header checksum");
  if (ipmi_checksum(message.data() + 3, message.size() - 4) != message.back()) {
    throw DecodeError("ipmi response: bad data checksum");
  }
  if (message[0] != kConsoleAddress || message[3] != kBmcAddress) throw DecodeError("ipmi response: not for us");
  LanResponse r;
  r.netfn = message[1] >> 2;
  r.seq = message[4] >> 2;
  r.cmd = message[5];
  r.completion_code = message[6];
  r.data.assign(message.begin() + 7, message.end() - 1);
  return r;
}

}  // namespace confluent::ipmi
