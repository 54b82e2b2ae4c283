#pragma once
// Natural order for node names: digit runs compare as integers, text runs case-insensitively,
// and the raw bytes break ties so that the order is total and deterministic (n01 < n1).
#include <string>
#include <string_view>
#include <vector>

namespace confluent {

int natural_compare(std::string_view a, std::string_view b);

inline bool natural_less(std::string_view a, std::string_view b) { return natural_compare(a, b) < 0; }

struct NaturalLess {
  bool operator()(std::string_view a, std::string_view b) const { return natural_compare(a, b) < 0; }
};

// Sorts naturally and removes duplicates; cheap when the input is already in order.
void natural_sort_unique(std::vector<std::string>& names);

}  // namespace confluent
