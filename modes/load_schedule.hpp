#pragma once
// The arithmetic of an open-loop load test: when message i is due (start + i/rate, whatever
// happened to earlier ones), how many messages a run sends, which of them a shard sends and which
// notification ids it owns, so that N machines loading one endpoint share its rate and never send
// the same id.
//   auto r = parse_rate("500/s");             // 500 messages per second
//   time_point due = due_time(start, 42, *r);  // start + 84ms
//   shard s = parse_shard("2/4");  notification_sequence(s, 7) == 7 * 4 + 1
//   test_message_index(s, 7) == 29;  message_count(*r, 1s, s) == 125

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/duration.hpp"

namespace outbound::modes {

// Messages per second; always > 0.
struct rate {
  double per_second = 0;
};

// "500", "500/s", "30000/m", "1800000/h", "2.5/s"; nullopt for anything else or a rate <= 0.
std::optional<rate> parse_rate(std::string_view text);
std::string format_rate(rate r);  // "500/s"

// Shard `index` (1-based, as users write "K/N") of `count`.
struct shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
  friend bool operator==(const shard&, const shard&) = default;
};

// "K/N" with 1 <= K <= N; nullopt otherwise.
std::optional<shard> parse_shard(std::string_view text);

// The intended start of message `i` (0-based): start + i/rate, rounded to the microsecond and
// computed from `start` each time so that rounding never accumulates.
time_point due_time(time_point start, std::uint64_t i, rate r);

// How many messages a run of `length` sends: every i whose due time is before start + length.
std::uint64_t message_count(rate r, duration length);

// Shard K of N sends the test's messages K-1, K-1+N, K-1+2N...: its n-th message (0-based) is the
// test's message n*N + K-1, due at due_time(start, that index, rate). N shards started at one time
// send the test's schedule exactly, each at 1/N of the rate, interleaved.
inline std::uint64_t test_message_index(shard s, std::uint64_t n) {
  return n * s.count + (s.index - 1);
}
// How many of the test's message_count(r, length) messages shard `s` sends.
std::uint64_t message_count(rate r, duration length, shard s);

// Each run draws its ids from its own block of 2^40 sequence numbers (picked from the seed), so
// a second run against the same listener does not look like a redelivery of the first.
inline constexpr std::uint64_t run_block_size = std::uint64_t{1} << 40;
// In [0, 2^19): with 2^40 numbers each, every block stays within the 62^10 that soap::make_id
// spells without wrapping.
std::uint64_t run_block_for_seed(std::uint64_t seed);

// The sequence number (for soap::make_id) of this shard's `n`-th notification (0-based) in a
// run's block: the shards interleave, so shard K of N owns exactly the numbers congruent to K-1
// modulo N within the block. Every shard of one load test must use the same seed.
std::uint64_t notification_sequence(shard s, std::uint64_t n, std::uint64_t run_block = 0);

}  // namespace outbound::modes
