#pragma once
// A scenario: one reproducible story (definitions, mock endpoints with fault timelines, a workload
// of record changes, the retry policy and the expectations that decide the exit code), as read
// from a JSON file documented in docs/scenarios.md.
//   scenario s = load_scenario("scenarios/library/sap_downtime.json");
//   s.clock == clock_kind::virtual_time; s.definitions[0].definition.full_name == "Notify_ERP"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "soap/definition.hpp"

namespace outbound::scenarios {

enum class clock_kind { real, virtual_time };
std::string_view to_string(clock_kind k);  // "real", "virtual"

// An inclusive range of counts; an exact count has min == max.
struct count_range {
  std::uint64_t min = 0;
  std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  bool contains(std::uint64_t v) const { return v >= min && v <= max; }
  friend bool operator==(const count_range&, const count_range&) = default;
};
std::string describe(const count_range& r);  // "5", ">= 3", "<= 9", "3..9"

// Fractions of changes that create a record, update one, or delete one (normalised to sum 1).
struct change_mix {
  double creates = 0;
  double updates = 1;
  double deletes = 0;
};

// One shape of change traffic. Times are relative to the scenario's start; rates per second.
struct traffic {
  enum class shape { constant, burst, ramp, daily };
  shape kind = shape::constant;
  duration from{};                 // constant, ramp, daily: window start; burst: when
  duration until{};                // constant, ramp, daily: window end; burst: from + spread
  double rate = 0;                 // constant; ramp: rate at `from`; daily: peak rate
  double rate_to = 0;              // ramp: rate at `until`
  std::uint64_t count = 0;         // burst: changes in the burst
  std::array<double, 24> curve{};  // daily: factor of the peak for each UTC hour of the day
  std::optional<change_mix> mix;   // overrides the workload's mix
};

struct workload {
  std::uint64_t records = 0;  // records that exist at the start (no notification for them)
  change_mix mix;
  bool poisson = false;  // arrivals: false evenly spaced (exact counts), true Poisson (seeded)
  std::vector<traffic> changes;
};

struct definition_entry {
  soap::definition definition;  // endpoint_url is replaced by the mock endpoint's at run time
  std::string endpoint;         // name of a scenario endpoint
  workload work;
  std::string source;  // "inline" or the definition file's path
};

struct endpoint_entry {
  std::string name;
  std::string path = "/";  // request target the definitions use
  // Served over HTTPS (certificates made at start, trusted by the sender as with --ca-file): from
  // the key "https", else true when the definitions it serves use https endpoint URLs.
  bool https = false;
  mock_endpoint::fault_plan faults;
  nlohmann::json faults_json = nlohmann::json::array();  // as written, for the report
  std::vector<bool> expect_fired;  // per fault: the scenario requires it to fire at least once
  // End of the last fault window with a length (relative to the start): when the endpoint is
  // healthy again. Zero when no fault has a window length.
  duration recovery{};
};

struct delivery_settings {
  nlohmann::json retry = "salesforce";  // for sender::retry_policy_from_json
  std::size_t batch_size = 100;
  std::size_t connections = 10;
  duration timeout = std::chrono::seconds(60);
};

// One expectation, flattened: the report lists each with its measured value.
struct expectation {
  enum class kind {
    nothing_lost,  // every accepted notification delivered (and in a ledger) or dead-lettered
    count,  // subject: accepted|delivered|failed|dropped|deleted|messages|duplicates|retries|stale
    duplicates_at_most,
    stale_at_most,     // ledger: a record's data arriving after newer data for it
    attempts_at_most,  // attempts per notification
    delivered_within,  // each delivered within `limit` of max(created, endpoint's recovery)
    latency,           // subject: end_to_end | per_attempt; percentile <= limit
    final_status,      // subject: a delivery-status state
    status_at,         // subject: a state; count at `at` (relative to the start)
    attempts,          // the most-tried notification's attempts within `range`
    drain_time,        // the report's drain time within [at_least, limit]
    failures,          // subject: a failure class; failed messages of that class within `range`
    failure_reason,    // subject: an ECMAScript regex; failed messages whose reason matches it
    faults_injected,   // subject: a fault kind; injections counted by the mocks within `range`
    newest_values,     // every record changed in the run ends with its newest values at the mock
  };
  kind what = kind::count;
  std::string name;        // stable name for reports: "delivered", "latency.end_to_end.p99", ...
  std::string path;        // JSON pointer in the scenario file
  std::string definition;  // full name; empty: all definitions
  std::string endpoint;    // scenario endpoint name; empty: all endpoints (never with definition)
  std::string subject;
  count_range range;                 // count, final_status, status_at; at_most kinds use max
  double percentile = 0;             // latency, e.g. 99.9
  duration limit{};                  // delivered_within, latency, drain_time: the maximum
  std::optional<duration> at_least;  // latency, drain_time: the minimum, when given
  duration at{};                     // status_at
};

// A user's action on the status page at a time of the run: Retry on one row, Retry on the failed
// list, Del on one row. One row is a notification id, or the oldest notification in `state`
// (of `definition`, when given) at that moment. Or the sender process crashing and starting again.
struct user_action {
  enum class kind { retry, retry_failed, remove, crash };
  kind what = kind::retry_failed;
  duration at{};             // after the start
  std::string notification;  // retry, remove: an id; empty: pick by state
  std::string state;         // retry, remove: a delivery-status state to pick the oldest from
  std::string definition;    // with state: only this definition's notifications
  std::string path;          // JSON pointer in the scenario file, for the report's check
};
std::string_view to_string(user_action::kind k);  // "retry", "retry_failed", "delete", "crash"

struct scenario {
  std::string name;
  std::string description;
  std::filesystem::path file;  // where it was read from
  std::uint64_t seed = 1;
  clock_kind clock = clock_kind::virtual_time;
  time_point start;
  duration length{};     // the workload runs in [start, start + length)
  duration run_until{};  // the run stops at start + run_until at the latest
  std::vector<definition_entry> definitions;
  std::vector<endpoint_entry> endpoints;
  delivery_settings delivery;
  std::vector<expectation> expectations;
  std::vector<user_action> actions;  // sorted by time (ties keep file order)
  nlohmann::json source;             // the file's JSON, for the report

  const endpoint_entry& endpoint_named(const std::string& name) const;
};

// Whether the scenario crashes the sender (the real clock then keeps the store in SQLite).
bool has_crash(const scenario& s);

// The default start: Monday 2026-01-05 08:00 UTC.
time_point default_start();

// Throws input_error(file, JSON pointer, what was expected) on anything wrong, unknown keys
// included. Definition files are read relative to the scenario file's folder.
scenario load_scenario(const std::filesystem::path& file);
scenario scenario_from_json(const nlohmann::json& j, const std::filesystem::path& file);

}  // namespace outbound::scenarios
