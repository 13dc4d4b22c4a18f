#pragma once
// The workload of `outbound send`: N new records with seeded sample values, then U updates of one
// field each on random live records, then D deletes spread evenly over the records, accepted in
// transactions of at most `chunk` changes so that a million records need little memory.
//   workload w{.records = 15000, .updates = 10, .deletes = 6000};
//   check_workload(w);                                   // before any store is opened
//   std::uint64_t queued = queue_workload(store, def, w, rng, clock);  // 21010 notifications

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/random.hpp"
#include "sender/store.hpp"
#include "soap/definition.hpp"
#include "soap/sample_data.hpp"

namespace outbound::sender {

struct workload {
  std::uint64_t records = 0, updates = 0, deletes = 0;
};

// The most records one `send` makes: far beyond any test, short of exhausting memory for ids.
inline constexpr std::uint64_t max_workload_records = 100'000'000;

// Throws input_error naming the option (--records, --updates, --deletes) when `w` cannot be
// queued: too many records, more deletes than records, or updates with no record left.
void check_workload(const workload& w);

// The workload as chunks of at most `chunk` changes, for a caller that accepts them itself: `send`
// accepts each through the engine and delivers between them. The values and the choice of
// records come from `rng`, so a seed gives the same chunks every time.
//   workload_feed feed(def, w, rng);
//   for (auto c = feed.next(); !c.empty(); c = feed.next()) feed.accepted(store.accept(c, now));
class workload_feed {
 public:
  workload_feed(const soap::definition& d, const workload& w, random& rng,
                std::size_t chunk = 10'000);
  // The next changes to accept; empty when the workload is done. Updates and deletes name records
  // made by earlier chunks: hand every chunk's result to accepted() before asking for the next.
  std::vector<record_change> next();
  void accepted(const accept_result& r);
  bool done() const;

 private:
  const soap::definition& definition_;
  soap::fields_sampler sample_;
  workload work_;
  random& rng_;
  std::size_t chunk_;
  std::uint64_t created_ = 0, updated_ = 0, deletes_made_ = 0;
  std::vector<std::string> ids_;  // of every record made, in order
  std::vector<bool> deleted_;     // which of them the workload deletes, once all are made
  std::size_t next_delete_ = 0;   // where the search for the next deleted record goes on
};

// Queues `w` for definition `d` (already in `s`) through a workload_feed; returns the
// notifications queued.
std::uint64_t queue_workload(store& s, const soap::definition& d, const workload& w, random& rng,
                             const outbound::clock& clock, std::size_t chunk = 10'000);

}  // namespace outbound::sender
