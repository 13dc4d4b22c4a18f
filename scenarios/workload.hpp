#pragma once
// Turns a workload (constant rates, bursts, ramps, daily curves; a create/update/delete mix) into
// the timed record changes a run feeds to the sender. Evenly spaced arrivals give exact counts
// (rate x window, rounded), so the real and virtual clocks see the same changes; Poisson ones
// are drawn from the seeded random source.
//   std::vector<arrival> a = schedule_arrivals(w, s.start, rng);   // sorted by time
//   record_pool pool("Account", rng);  sender::record_change c = pool.change(a[0].kind, rng);

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/random.hpp"
#include "scenarios/scenario.hpp"
#include "sender/store.hpp"

namespace outbound::scenarios {

struct arrival {
  duration at{};  // after the scenario's start
  sender::change_kind kind = sender::change_kind::update;
};

// Every change of `w`, sorted by time (ties keep pattern order). `start` places the daily curve
// on UTC hours.
std::vector<arrival> schedule_arrivals(const workload& w, time_point start, random& rng);

// The expected number of changes of one pattern (rate integrated over its window, or the count).
double expected_changes(const traffic& t, time_point start);

// The records of one object that a workload changes: ids assigned in order, values from the
// definition's fields (soap::sample_fields), deletes remove a random live record.
class record_pool {
 public:
  record_pool(std::string object, std::vector<soap::field> fields);

  // The creates of the initial records (applied before any definition exists: no notification).
  std::vector<sender::record_change> initial(std::uint64_t count, random& rng, time_point now);
  // One change at `now`; an update or delete when no record is alive becomes a create.
  // SystemModstamp and LastModifiedDate fields are set to `now`, so listeners can order data.
  sender::record_change change(sender::change_kind kind, random& rng, time_point now);
  std::size_t alive() const { return alive_.size(); }

 private:
  std::string next_id();
  sender::record_change create(random& rng, time_point now);
  void stamp(sender::record_change& c, time_point now) const;

  std::string object_;
  std::vector<soap::field> fields_;
  std::string prefix_;
  std::uint64_t next_ = 1;
  std::vector<std::string> alive_;
};

}  // namespace outbound::scenarios
