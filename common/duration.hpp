#pragma once
// Durations as users write them: "250ms", "90s", "15m", "3h", "1h30m", "2d", and with decimals
// "1.5h", "0.25s" (at most 6 decimals, rounded down to the microsecond). At most 100 years.
// Parsing returns nullopt on anything else so callers can name the field in their own error.
//   auto d = parse_duration("1h30m");  // 5400s
//   format_duration(std::chrono::seconds(5400)) == "1h30m"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace outbound {

using duration = std::chrono::microseconds;

// The longest duration parse_duration accepts: 100 years of 365 days.
inline constexpr duration max_duration{100LL * 365 * 86'400'000'000};

std::optional<duration> parse_duration(std::string_view text);

// The shortest form that parse_duration reads back to the same value (sub-millisecond parts in us).
std::string format_duration(duration d);

}  // namespace outbound
