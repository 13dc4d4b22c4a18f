#pragma once
// A fault plan: the mock endpoint's misbehaviour as data, read from JSON (docs/faults.md).
// Entries are evaluated in order; the first matching one that decides the answer wins, and
// matching timing entries (delay, slow_body, bandwidth) before it are combined with it.
//   fault_plan p = load_fault_plan("examples/faults/outage.json");
//   fault_plan q = fault_plan_from_json(scenario["faults"], "scenario.json", "/faults");

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "common/random.hpp"
#include "mock_endpoint/fault_kind.hpp"

namespace outbound::mock_endpoint {

enum class distribution { fixed, uniform, normal, lognormal, pareto };

// A random delay. Samples are clamped to [0, cap].
struct delay_spec {
  distribution shape = distribution::fixed;
  duration value{};             // fixed
  duration min{}, max{};        // uniform in [min, max]
  duration mean{}, stddev{};    // normal
  duration median{};            // lognormal: exp(N(ln median, sigma))
  double sigma = 0;             // lognormal
  duration scale{};             // pareto: the minimum value
  double alpha = 0;             // pareto: tail index, smaller is heavier
  std::optional<duration> cap;  // upper bound of every sample
};

duration sample(const delay_spec& d, random& rng);

struct fault {
  fault_kind kind = fault_kind::http_status;

  // When it applies. All conditions must hold; the probability is drawn last.
  double probability = 1.0;
  duration after{};                    // window start, from the plan's start
  std::optional<duration> for_;        // window length; none: until the end
  std::optional<std::uint64_t> first;  // only the first N events in the window
  std::optional<std::uint64_t> every;  // only every Nth event in the window (N, 2N, ...)
  // Request conditions ("when"; request-phase kinds only): the message carries a notification of
  // this record id, or one whose field `when_field` has the value `when_equals`.
  std::optional<std::string> when_record;
  std::optional<std::string> when_field;
  std::optional<std::string> when_equals;
  // The listener's limit ("beyond"; request-phase kinds only): only requests beyond N admitted in
  // the last second, or beyond N in progress (admitted and not yet answered).
  std::optional<std::uint64_t> beyond_per_second;
  std::optional<std::uint64_t> beyond_concurrent;

  // Parameters; only those of the kind are meaningful.
  int status = 0;                          // http_status, html_error_page, soap_fault, empty_body
  std::string reason;                      // reason phrase; empty: the standard one
  std::optional<std::string> retry_after;  // Retry-After header value
  std::optional<std::string> body;         // http_status, not_an_ack: the body to send
  std::string content_type;                // http_status, wrong_content_type
  std::string faultcode;                   // soap_fault
  std::string faultstring;                 // soap_fault
  std::optional<std::size_t> bytes;    // truncated_body (sent), garbage (count), slow_body (chunk)
  duration interval{};                 // slow_body
  std::uint64_t bytes_per_second = 0;  // bandwidth
  delay_spec delay;                    // delay
  duration hold{};                     // stall: how long the connection is held
  bool after_read = false;             // stall: read the request first
  std::string note;                    // free text, ignored
};

// A garbage fault sends at most this many bytes (16 MiB), so a plan cannot exhaust memory.
inline constexpr std::uint64_t max_garbage_bytes = 16u << 20;

struct fault_plan {
  std::vector<fault> faults;
  // Whether an entry limits the listener's rate or concurrency (then admitted requests are
  // tracked).
  bool has_limits() const;
};

// `j` is either an array of faults or an object {"faults": [...]} (a plan file); `path` is the
// JSON pointer of `j` inside `file`. Throws input_error naming the file, the pointer of the bad
// field and what was expected; unknown keys are errors.
fault_plan fault_plan_from_json(const nlohmann::json& j, const std::string& file,
                                const std::string& path = "");
fault_plan load_fault_plan(const std::filesystem::path& file);
// One fault object, as an entry of a plan (POST /__admin/outage takes one).
fault fault_from_json(const nlohmann::json& j, const std::string& file,
                      const std::string& path = "");

// Throws input_error naming `file` when the mock serves plain HTTP (`tls` false) and `p` holds a
// tls_* fault, which could never fire there: a declared fault happens or the plan is refused.
void refuse_tls_faults_without_tls(const fault_plan& p, bool tls, const std::string& file);

// The plan file form, {"faults": [...]}; reads back to the same plan.
nlohmann::json to_json(const fault_plan& p);
nlohmann::json to_json(const fault& f);

}  // namespace outbound::mock_endpoint
