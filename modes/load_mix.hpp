#pragma once
// What each message of a load test carries when a profile mixes definitions and batch sizes:
// message i of the test picks a definition by weight and a batch size from that definition's
// distribution, both from a hash of (seed, i). So the choice does not depend on which shard sends
// the message or on what was sent before: N shards send exactly the mix of one run.
//   std::vector<load_definition> mix{{account, 3, batch_sizes::fixed(1)},
//                                    {order, 1, batch_sizes::uniform(1, 10)}};
//   message_choice c = choose(mix, seed, 42);  // c.definition == 0 or 1, c.batch in 1..10

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "soap/definition.hpp"

namespace outbound::modes {

// Notifications per message: a fixed size, uniform from min to max, or weighted choices.
struct batch_sizes {
  std::size_t min = 1, max = 1;  // uniform over min..max (fixed when equal)
  // When not empty: (size, weight) pairs, picked by weight; min and max are then ignored.
  std::vector<std::pair<std::size_t, double>> choices;

  static batch_sizes fixed(std::size_t n) { return {n, n, {}}; }
  static batch_sizes uniform(std::size_t lo, std::size_t hi) { return {lo, hi, {}}; }

  // The size for a uniform draw u in [0, 1).
  std::size_t pick(double u) const;
  double mean() const;
  // "1", "1-10 uniform", "1 x3, 10 x1" (size x weight).
  std::string describe() const;
  friend bool operator==(const batch_sizes&, const batch_sizes&) = default;
};

struct load_definition {
  soap::definition definition;
  double weight = 1;  // > 0; relative to the others
  batch_sizes batch;
};

struct message_choice {
  std::size_t definition = 0;  // index into the mix
  std::size_t batch = 1;
};

// Message `test_index`'s definition and batch size; deterministic in (seed, test_index).
message_choice choose(const std::vector<load_definition>& mix, std::uint64_t seed,
                      std::uint64_t test_index);

}  // namespace outbound::modes
