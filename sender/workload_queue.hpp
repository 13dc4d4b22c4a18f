#pragma once
// The workload of `outbound send`: N new records with seeded sample values, then U updates of one
// field each on random live records, then D deletes spread evenly over the records, accepted in
// transactions of at most `chunk` changes so that a million records need little memory.
//   workload w{.records = 15000, .updates = 10, .deletes = 6000};
//   check_workload(w);                                   // before any store is opened
//   std::uint64_t queued = queue_workload(store, def, w, rng, clock);  // 21010 notifications

#include <cstddef>
#include <cstdint>

#include "common/clock.hpp"
#include "common/random.hpp"
#include "sender/store.hpp"
#include "soap/definition.hpp"

namespace outbound::sender {

struct workload {
  std::uint64_t records = 0, updates = 0, deletes = 0;
};

// The most records one `send` makes: far beyond any test, short of exhausting memory for ids.
inline constexpr std::uint64_t max_workload_records = 100'000'000;

// Throws input_error naming the option (--records, --updates, --deletes) when `w` cannot be
// queued: too many records, more deletes than records, or updates with no record left.
void check_workload(const workload& w);

// Queues `w` for definition `d` (already in `s`); returns the notifications queued. The values
// and the choice of records come from `rng`, so a seed gives the same workload every time.
std::uint64_t queue_workload(store& s, const soap::definition& d, const workload& w, random& rng,
                             const outbound::clock& clock, std::size_t chunk = 10'000);

}  // namespace outbound::sender
