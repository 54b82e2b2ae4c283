#pragma once
#include <string>

namespace confluent::cli {

// -p: asks twice without echo ("Enter value for X: ", "Confirm value for X: ") until both
// agree; gives up after five mismatches.
std::string prompt_value_twice(const std::string& name);

}  // namespace confluent::cli
