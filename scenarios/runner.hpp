#pragma once
// Plays a scenario to the end on either clock and returns its report: in virtual time on an
// event_loop with the virtual transport (a day replays in seconds), or in real time on an
// io_context with the mock servers on 127.0.0.1:0 and the real HTTP transport.
//   system_clock wall;
//   run_result r = run_scenario(load_scenario("sap_downtime.json"), {}, wall);
//   r.report.passed();  write_report_folder(r.report, "out/sap_downtime");

#include <cstdint>
#include <functional>
#include <optional>

#include "common/clock.hpp"
#include "reports/report.hpp"
#include "scenarios/scenario.hpp"

namespace outbound::scenarios {

struct run_progress {
  duration simulated{};  // since the scenario's start
  duration length{};     // the workload's length (the run may go on to drain)
  std::uint64_t accepted = 0, delivered = 0, messages = 0;
  std::uint64_t failed_attempts = 0;  // messages that were not acked
  bool real_clock = false;            // then nothing is simulated: "elapsed", and no wall time
};

struct run_options {
  std::optional<clock_kind> clock;    // overrides the scenario's clock
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  // Called now and then while running (every ~65k events in virtual time, 4 times a second in
  // real time) from the running thread.
  std::function<void(const run_progress&)> progress;
  // Polled as often as progress (and at least 4 times a second in real time): true ends the run
  // where it stands, as Ctrl-C does; the report then covers the run so far and says so.
  std::function<bool()> stop_requested;
};

struct run_result {
  reports::run_report report;
  std::uint64_t events = 0;  // virtual time: simulated events fired (event_loop::fired())
  bool interrupted = false;  // stop_requested ended the run early
};

// What `outbound run` shows on a terminal (without the bar): simulated time and what is left of
// the workload (or "draining" after it), wall time, notifications accepted and delivered with their
// rate per simulated second, and the failed attempts. Human units: "1h02m", "3.20s".
std::string progress_text(const run_progress& p, duration wall);

// The warning an interrupted report carries.
std::string interrupted_warning(duration simulated);

// `wall` stamps the report's started/finished fields and nothing else. Throws input_error for
// bad settings found only at run time (a retry policy, say).
run_result run_scenario(const scenario& s, const run_options& options, const clock& wall);
run_result run_virtual(const scenario& s, const run_options& options, const clock& wall);
run_result run_real(const scenario& s, const run_options& options, const clock& wall);

}  // namespace outbound::scenarios
