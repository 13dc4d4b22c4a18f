#pragma once
// The report of an `outbound load` run (kind "load"): its parameters, the achieved rate, errors by
// class and the latency spectrum from intended starts; shards of one test merge exactly with
// `outbound report merge`. Also the few lines printed above the reports' text summary.
//   auto r = load_report(options, generator.result());  write_report_folder(r, "out/load");
//   std::fputs(load_summary(options, generator.result()).c_str(), stdout);

#include <string>

#include "modes/load_generator.hpp"
#include "reports/report.hpp"

namespace outbound::modes {

// Its shards hold this one process, which an interrupted run left short of the end.
reports::run_report load_report(const load_options& options, const load_result& result);

// What this process was asked to send: its shard's 1/N of the test's rate.
double shard_rate(const load_options& options);

// "sent 3000 of 3000 messages (3000 notifications) in 3.01s: achieved 996.7/s of 1000/s
// requested", errors by class, the longest backlog and, with several definitions, each one's OK,
// KO and p99 (the report's text summary above it has the latency and service-time percentiles).
std::string load_summary(const load_options& options, const load_result& result);

}  // namespace outbound::modes
