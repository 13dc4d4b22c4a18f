#pragma once
// What a run measured, per definition and in total, and the judgement of a scenario's
// expectations against it: one reports::check_result per expectation, with the measured value.
//   measurements m = tracker.measure(...);
//   std::vector<reports::check_result> r = evaluate(s.expectations, m);

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "reports/histogram.hpp"
#include "reports/report.hpp"
#include "scenarios/scenario.hpp"
#include "sender/store.hpp"

namespace outbound::scenarios {

// Of one definition, or of all of them.
struct definition_measurements {
  std::uint64_t accepted = 0, delivered = 0, failed = 0, dropped = 0, deleted = 0;
  std::uint64_t messages = 0;         // SOAP messages sent (attempts)
  std::uint64_t max_attempts = 0;     // attempts of the most-tried notification
  reports::histogram end_to_end;      // created -> acked, us
  reports::histogram per_attempt;     // response time of each message, us
  sender::state_counts final_status;  // the store's counts at the end
  // Largest (acked - max(created, endpoint's recovery)) over delivered notifications.
  std::optional<duration> worst_drain;
  std::uint64_t not_in_ledger = 0;  // delivered by the sender, never received by the mock
  // At the listener: notifications received again after it had acked them (duplicates), received
  // again before that (retries: re-sends after failures), and stale data (a definition: of its
  // notifications; its stale count only when it has its endpoint to itself).
  std::uint64_t duplicates = 0, retries = 0, stale = 0;
  std::map<std::string, std::uint64_t> failures_by_class;   // failed messages per class
  std::map<std::string, std::uint64_t> failures_by_reason;  // failed messages per reason text
  std::map<std::string, std::uint64_t> faults_injected;     // by fault kind (total, endpoints)
  // Records changed in the run and alive at the end, and those whose data at the listener is not
  // their newest (or never arrived); measured only when a newest_values expectation asks.
  std::uint64_t records_checked = 0, records_not_newest = 0;
  std::string first_not_newest;  // a record id, for the message
};

// The store's counts at a moment of the run (relative to the start), for "during" checks.
struct status_snapshot {
  duration at{};
  std::string definition;  // empty: all
  sender::state_counts counts;
};

struct measurements {
  definition_measurements total;
  std::map<std::string, definition_measurements> by_definition;
  std::map<std::string, definition_measurements> by_endpoint;  // by scenario endpoint name
  std::uint64_t duplicates = 0;                                // over every mock endpoint's ledger
  std::uint64_t retries = 0;
  std::uint64_t stale = 0;
  std::optional<duration> drain_time;  // as in the report; none: nothing was held up
  std::vector<status_snapshot> snapshots;
};

// Whether any expectation needs the listeners' newest record data (ledger_options).
bool needs_record_data(const std::vector<expectation>& expectations);

// The moments the runner must snapshot the store's counts at (sorted, unique).
std::vector<duration> snapshot_times(const std::vector<expectation>& expectations);

// One result per expectation, in order; `name` and `expected` come from the expectation.
std::vector<reports::check_result> evaluate(const std::vector<expectation>& expectations,
                                            const measurements& m);
reports::check_result evaluate(const expectation& e, const measurements& m);

// "p99" for 99, "p99.9" for 99.9, "max" for 100.
std::string percentile_name(double p);

}  // namespace outbound::scenarios
