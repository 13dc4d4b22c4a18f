#pragma once
// The arithmetic of an open-loop load test: when message i is due (whatever happened to earlier
// ones), how many messages a run sends, which of them a shard sends and which notification ids it
// owns, so that N machines loading one endpoint share its rate and never send the same id.
//   auto r = parse_rate("500/s");                  // 500 messages per second
//   arrival_plan p(*r, 1s);  p.offset(42) == 84ms
//   shard s = parse_shard("2/4");  notification_sequence(s, 7) == 7 * 4 + 1
//   test_message_index(s, 7) == 29;  p.message_count(s) == 125

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Shard K of N sends the test's messages K-1, K-1+N, K-1+2N...: its n-th message (0-based) is the
// test's message n*N + K-1, due at that message's offset in the test's arrival_plan. N shards
// started at one time send the test's schedule exactly, each at 1/N of the rate, interleaved.
inline std::uint64_t test_message_index(shard s, std::uint64_t n) {
  return n * s.count + (s.index - 1);
}

// One stage of a load profile: the rate goes linearly from `from` to `to` (per second, >= 0)
// over `length`; from == to holds a rate, and a stage whose `from` differs from the previous
// stage's `to` steps there at once.
struct load_stage {
  duration length{};
  double from = 0, to = 0;
  friend bool operator==(const load_stage&, const load_stage&) = default;
};

// The open-loop arrival schedule of a whole test (all shards): the stages one after another.
// N(t), the messages due by t, is the integral of the rate; message i is due at the first t
// with N(t) = i inside a stage that sends (so a leading pause delays message 0). Each offset
// is solved from the stage's own start and its exact share, never by adding up gaps, so rounding
// never accumulates; a constant stage puts message i at i/rate, rounded to the microsecond.
//   arrival_plan p({{30s, 0, 500}, {60s, 500, 500}});  // ramp to 500/s, hold it for a minute
//   p.message_count() == 37500;  p.offset(7500) == 30s
class arrival_plan {
 public:
  // Throws std::invalid_argument for no stage, a stage not longer than 0 or a negative rate.
  explicit arrival_plan(std::vector<load_stage> stages);
  // One stage at a constant rate: what --rate and --duration say.
  arrival_plan(rate r, duration length) : arrival_plan({{length, r.per_second, r.per_second}}) {}

  const std::vector<load_stage>& stages() const { return stages_; }
  duration length() const { return length_; }
  // N(length): the exact number of messages the rate integrates to (not rounded).
  double integral() const { return stage_first_.back(); }
  // Messages in the test: every i due before the end, i.e. i < integral().
  std::uint64_t message_count() const;
  // Messages shard `s` sends: the test's messages K-1, K-1+N, ... below message_count().
  std::uint64_t message_count(shard s) const;
  // Message i's intended start after the test's start (i < message_count()).
  duration offset(std::uint64_t i) const;
  // The requested rate over the whole test: integral() / length, per second.
  double mean_rate() const;

 private:
  std::vector<load_stage> stages_;
  std::vector<duration> stage_start_;  // offset of each stage
  std::vector<double> stage_first_;    // N at each stage's start, and N(length) last
  duration length_{};
};

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
