#pragma once
// Rates as users write them, in one grammar for scenarios and load tests: "30/s", "30/m", "2/h",
// "100/d", "2.5/s" or a plain number per second; finite, >= 0 and at most max_rate_per_second.
//   parse_rate("30/m") == 0.5;  parse_rate("1e300/s") == nullopt

#include <optional>
#include <string_view>

namespace outbound {

// Beyond 10 million per second a microsecond schedule cannot space messages apart.
inline constexpr double max_rate_per_second = 10'000'000;

// Messages per second, or nullopt for anything else or out of range.
std::optional<double> parse_rate(std::string_view text);

// Checks a rate given as a number per second against the same range.
std::optional<double> checked_rate(double per_second);

}  // namespace outbound
