#include "cli/prompt.h"

#include <iostream>

#include "cli/app.h"

namespace confluent::cli {

std::string prompt_value_twice(const std::string& name) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string first = read_hidden("Enter value for " + name + ": ");
    std::string second = read_hidden("Confirm value for " + name + ": ");
    if (first == second) return first;
    std::cerr << "Values did not match.\n";
  }
  throw std::runtime_error("values for '" + name + "' did not match");
}

}  // namespace confluent::cli
