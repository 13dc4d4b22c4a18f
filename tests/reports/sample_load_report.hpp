#pragma once
// A load report made by hand for the threshold and renderer tests: message i answered latency[i]
// us after its intended start and in half that from its actual send, every tenth failing when
// asked, as shard K of N that was to send them all in one second.
//   auto r = load_report_of({1000, 2000, 3000});  auto shard = load_report_of(part, 2, 4, 250);

#include <cstdint>
#include <vector>

#include "reports/report.hpp"

namespace outbound::reports::testing {

inline const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

inline run_report load_report_of(const std::vector<std::int64_t>& latency, std::uint64_t index = 1,
                                 std::uint64_t count = 1, double rate = 1000, bool nacks = false) {
  run_report r;
  r.kind = "load";
  r.name = "load";
  r.clock = "real";
  r.simulated_start = r.started = start;
  r.simulated_end = r.finished = start + std::chrono::seconds(1);
  r.metrics = run_metrics(start, std::chrono::seconds(1));
  for (std::size_t i = 0; i < latency.size(); ++i) {
    r.metrics.attempt_sent(start, 1);
    r.metrics.attempt_finished(start + duration(latency[i]), 1, nacks && i % 10 == 0 ? "nack" : "",
                               duration(latency[i]));
    r.metrics.record_service_time(duration(latency[i] / 2));
  }
  load_shard s;
  s.index = index;
  s.count = count;
  s.rate_per_second = rate;
  s.length = std::chrono::seconds(1);
  s.start = start;
  s.end = start + std::chrono::seconds(1);
  s.scheduled = s.sent = s.answered = latency.size();
  r.shards = {s};
  return r;
}

}  // namespace outbound::reports::testing
