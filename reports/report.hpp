#pragma once
// The result of one `run`, `load` or `check`: parameters, metrics, fault windows, expectation or
// check results, the final delivery status and the mock's ledger. It is what report.json holds
// (schema: docs/report.md, docs/report.schema.json) and what every renderer reads.
//   run_report r;  r.kind = "run";  r.name = "sap_downtime";  r.metrics = std::move(metrics);
//   r.checks.push_back({"nothing lost", true, "0 lost", "0", ""});  write_report_folder(r, "out");

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "reports/load_series.hpp"
#include "reports/metrics.hpp"

namespace outbound::reports {

inline constexpr int report_format_version = 1;

// A stretch of (simulated) time with a fault, shaded on the charts.
struct fault_window {
  std::string label;  // e.g. "refuse connections" or "503 Service Unavailable (p=0.5)"
  time_point start{};
  time_point end{};
  friend bool operator==(const fault_window&, const fault_window&) = default;
};

// A moment drawn on the time charts as a labelled vertical line.
struct time_marker {
  std::string kind;   // "recovery" (an endpoint recovered), "drain_end" (the queue held up by the
                      // outage was delivered), "during" (a `during` checkpoint)
  std::string label;  // for people: "erp recovered", "drained (42m17s after recovery)", "during 4h"
  time_point at{};
  friend bool operator==(const time_marker&, const time_marker&) = default;
};

// One fault a scenario declared, and how many times it fired (decided or timed an answer).
struct fault_entry {
  std::string endpoint;       // the scenario endpoint's name
  std::size_t index = 0;      // its position in that endpoint's fault list
  std::string label;          // as fault_window's label
  std::uint64_t fired = 0;    // connections or requests it was applied to
  bool expect_fired = false;  // the scenario said it must fire (a check then says whether it did)
  friend bool operator==(const fault_entry&, const fault_entry&) = default;
};

// One expectation of a scenario or one check of `outbound check`.
struct check_result {
  std::string name;  // e.g. "nothing lost", "delivery latency p99 <= 2h"
  bool passed = false;
  std::string measured;  // what was measured, as text: "3 lost", "1h12m"
  std::string expected;  // what was wanted, as text: "0", "<= 2h"
  std::string message;   // why it failed, or what came back; may be empty
  // `outbound check` only (empty otherwise): what was sent, in a few words ("100 notifications in
  // one message"), and the start of a response body that `measured` does not already sum up.
  std::string sent{};
  std::string excerpt{};
  friend bool operator==(const check_result&, const check_result&) = default;
};

// One threshold of a load test (reports/threshold.hpp) and how the run fared against it.
struct threshold_result {
  std::string threshold;  // as written, e.g. "p99<300ms": parsed again to re-evaluate a merge
  bool passed = false;
  std::string measured;  // for people: "212ms", "0.05% (3 of 6000 messages)", "no samples"
  std::string limit;     // for people: "< 300ms", ">= 1940/s (0.97 x 2000/s requested)"
  // The numbers compared, in the metric's unit (us, a fraction, per second); none when nothing
  // was measured (no answers, no samples), which fails the threshold.
  std::optional<double> measured_value;
  double limit_value = 0;
  friend bool operator==(const threshold_result&, const threshold_result&) = default;
};

// One process of a load test (`outbound load`, maybe shard K of N): what it was asked to do and
// what it did. A load report has one; a merged load report one per shard, in the merge's order.
struct load_shard {
  std::uint64_t index = 1, count = 1;  // shard K of N
  std::string host;                    // the machine (a pod's name) that ran it
  double rate_per_second = 0;          // requested of this process: its 1/N share of --rate
  duration length{};                   // how long messages were started (--duration)
  std::uint64_t seed = 0;
  std::optional<time_point> start_at;  // the common start it was given (--start-at)
  time_point start{}, end{};           // message 0's intended start; the last answer
  std::uint64_t scheduled = 0, sent = 0, answered = 0;  // messages
  // The shard report's own parameters once merged (empty in the shard's own report, whose
  // run_report::parameters they are).
  nlohmann::json parameters = nlohmann::json::object();

  bool ran_to_the_end() const { return answered == scheduled; }  // false: interrupted
  friend bool operator==(const load_shard&, const load_shard&) = default;
};

// Notifications per state at the end of the run.
struct status_counts {
  std::uint64_t queued = 0, in_flight = 0, retrying = 0, delivered = 0, failed = 0, dropped = 0,
                deleted = 0;
  std::uint64_t total() const;
  friend bool operator==(const status_counts&, const status_counts&) = default;
};

// One line of the delivery status page (the notifications still queued, retrying or failed).
struct status_row {
  std::string outbound_message;  // definition name
  std::string object;            // e.g. "Account"
  std::string record_id;
  std::string notification_id;
  time_point created{};
  std::uint32_t attempts = 0;
  std::optional<time_point> next_attempt;
  std::string reason;  // last Delivery Failure Reason, empty if none
  std::string state;   // "queued", "in_flight", "retrying", "failed", ...
  friend bool operator==(const status_row&, const status_row&) = default;
};

struct delivery_status {
  status_counts counts;
  std::vector<status_row> rows;
  friend bool operator==(const delivery_status&, const delivery_status&) = default;
};

// What the mock endpoint saw.
struct ledger_summary {
  std::uint64_t messages = 0;       // SOAP requests received
  std::uint64_t notifications = 0;  // notifications in them, with repeats
  std::uint64_t unique = 0;         // distinct notification ids
  // Received again after the listener had acked them (the ack late, lost or not taken), and
  // received again before that (re-sends after a nack, fault or error): notifications = unique +
  // retries + duplicates. Reports written before retries existed counted both as duplicates.
  std::uint64_t duplicates = 0;
  std::uint64_t retries = 0;
  std::uint64_t stale = 0;  // notifications carrying older data than one already seen
  std::map<std::string, std::uint64_t> faults_injected;  // per fault kind
  friend bool operator==(const ledger_summary&, const ledger_summary&) = default;
};

struct run_report {
  int format_version = report_format_version;
  std::string kind = "run";  // "run" | "load" | "check"
  std::string name;
  nlohmann::json parameters = nlohmann::json::object();  // free-form: scenario, rate, endpoint...
  time_point started{}, finished{};                      // wall clock
  time_point simulated_start{}, simulated_end{};         // the run's clock (== wall for real)
  std::string clock = "virtual";                         // "real" | "virtual"
  std::uint64_t seed = 0;
  std::optional<duration> drain_time;  // endpoint recovery -> queue empty, when known
  run_metrics metrics;
  std::vector<fault_window> faults;
  std::vector<time_marker> markers;        // runs: recovery, end of drain, `during` checkpoints
  std::vector<fault_entry> fault_entries;  // every declared fault with its firings (runs)
  std::vector<std::string> warnings;       // e.g. a declared fault that never fired
  std::vector<check_result> checks;
  std::vector<threshold_result> thresholds;  // load
  std::vector<load_shard> shards;            // load: the process that ran it, or every shard
  std::optional<load_series> load;           // load: rates, percentiles, errors over time
  delivery_status status;
  std::optional<ledger_summary> ledger;

  // Every check and threshold passed and every load shard ran to the end (true when there are
  // none).
  bool passed() const;
  friend bool operator==(const run_report&, const run_report&) = default;
};

// report.json's content. Times are ISO 8601 UTC with microseconds, durations integers in us.
nlohmann::json to_json(const run_report& r);
// Throws input_error(file, JSON path, what was expected) for a bad or newer-version document.
run_report report_from_json(const nlohmann::json& j, const std::string& file);
// Reads and parses a report.json; a missing or unreadable file is an input_error too.
run_report read_report(const std::string& path);

// Combines shards or runs: counters, histograms, series, status counts and ledgers add exactly;
// rows, checks and fault windows are concatenated; times span all; identical fault windows
// appear once. Load reports: their shards are listed (each with its report's parameters), one
// check says whether every shard of the test (all N of K/N) is there and ran to the end, and the
// reports' thresholds are evaluated again on the merged result. Throws input_error, naming the
// report by `files[i]` (or its name), when `reports` is empty, kinds or clocks differ, or load
// shards are of different tests (N) or given twice.
run_report merge(const std::vector<run_report>& reports,
                 const std::vector<std::string>& files = {});

// ISO 8601 UTC with microseconds (2026-01-05T09:00:00.000123Z); parse with parse_timestamp.
std::string format_timestamp_us(time_point t);

}  // namespace outbound::reports
