#pragma once
// The Retry-After header of a failed response (RFC 9110 10.2.3), as the wait it asks for: either
// delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), read against the
// time the response arrived. Salesforce documents no use of it; a retry policy with
// retry_after=honor waits at least this long (retry_policy::next_attempt).
//   parse_retry_after("120", now) == 120s;  parse_retry_after("soon", now) == std::nullopt

#include <optional>
#include <string_view>

#include "common/clock.hpp"
#include "common/duration.hpp"

namespace outbound::sender {

// The longest wait a header can ask for; longer values are cut to it (a year: far beyond any
// retry policy's max_age, and safe from overflow).
inline constexpr duration longest_retry_after = std::chrono::hours(24 * 366);

// nullopt for an empty or malformed value (a client ignores those); a date in the past is zero.
// Accepts the IMF-fixdate form only, the one RFC 9110 requires senders to use.
std::optional<duration> parse_retry_after(std::string_view value, time_point now);

}  // namespace outbound::sender
