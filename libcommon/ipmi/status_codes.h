#pragma once
// Readable names for IPMI completion codes and RMCP+ status codes, as they appear in
// per-node error messages: "insufficient privilege level (0xd4)".
#include <cstdint>
#include <string>

namespace confluent::ipmi {

// The generic completion codes (IPMI 2.0 table 5-2); command-specific codes (0x80-0xbe)
// come out as "command-specific error (0x80)" unless the caller knows better.
std::string completion_code_text(uint8_t code);

// RMCP+ status codes of Open Session Response and RAKP 2/4 (IPMI 2.0 table 13-15).
std::string rmcpplus_status_text(uint8_t status);

}  // namespace confluent::ipmi
