#pragma once
// A realistic report for the renderer tests: a small simulation of the SAP story (Account updates
// all day, the endpoint refusing connections for three hours, a flaky half hour of 503s, a short
// outage at the end) played on the event loop with Salesforce's retry schedule, feeding run_metrics
// exactly as the sender would.
//   auto r = make_sample_report(42);  write_report_folder(r, dir);

#include <cmath>
#include <map>
#include <string>

#include "common/event_loop.hpp"
#include "common/random.hpp"
#include "reports/render.hpp"
#include "reports/report.hpp"

namespace outbound::reports::testing {

inline run_report make_sample_report(std::uint64_t seed, int records_per_hour = 1800) {
  using namespace std::chrono;
  const time_point start = parse_timestamp("2026-01-05T08:00:00Z").value();
  const time_point end = start + hours(10);
  const time_point down_from = start + hours(3), down_to = start + hours(6);
  const time_point flaky_from = start + hours(7), flaky_to = start + minutes(7 * 60 + 30);
  const time_point last_from = start + minutes(9 * 60 + 40);

  run_report r;
  r.kind = "run";
  r.name = "sap_downtime";
  r.clock = "virtual";
  r.seed = seed;
  r.parameters = {{"scenario", "scenarios/library/sap_downtime.json"},
                  {"definition", "Notify ERP <Account>"},
                  {"endpoint", "https://sap.example.com/sap/bc/srt/sfdc?client=100"},
                  {"records_per_hour", records_per_hour},
                  {"retry_policy", "salesforce"}};
  r.simulated_start = start;
  r.simulated_end = end;
  r.started = parse_timestamp("2026-11-29T06:00:00.250Z").value();
  r.finished = r.started + milliseconds(1840);
  r.faults = {{"refuse connections", down_from, down_to},
              {"503 Service Unavailable (p=0.3)", flaky_from, flaky_to},
              {"timeout > 60s", last_from, end}};
  r.metrics = run_metrics(start, end - start);

  event_loop loop(start);
  random rng(seed);
  struct note {
    time_point created;
    std::uint32_t attempts = 0;
    time_point next{};
    std::string reason;
    bool done = false;
    bool flying = false;
  };
  std::map<int, note> notes;
  std::uint64_t open = 0, in_flight = 0, retrying = 0, duplicates = 0;
  std::function<void(int)> attempt = [&](int id) {
    auto& n = notes[id];
    const auto t = loop.clock().now();
    if (n.attempts > 0) --retrying;
    ++n.attempts;
    ++in_flight;
    n.flying = true;
    r.metrics.attempt_sent(t, 1, n.attempts > 1 ? 1 : 0);
    std::string cls, reason;
    duration rt = microseconds(static_cast<long>(40000 * std::exp(rng.uniform() * 2.5)));
    if (t >= down_from && t < down_to) {
      cls = "refused", reason = "java.net.ConnectException: Connection refused";
      rt = microseconds(300 + static_cast<long>(rng.below(700)));
    } else if (t >= flaky_from && t < flaky_to && rng.chance(0.3)) {
      cls = "http_status", reason = "(503)Service Unavailable";
    } else if (t >= last_from) {
      cls = "timeout", reason = "java.net.SocketTimeoutException: Read timed out", rt = seconds(60);
      ++duplicates;  // the listener got it, acked too late
    }
    loop.at(t + rt, [&, id, cls, reason, rt] {
      auto& m = notes[id];
      const auto now = loop.clock().now();
      --in_flight;
      m.flying = false;
      r.metrics.attempt_finished(now, 1, cls, rt);
      if (cls.empty()) {
        m.done = true;
        --open;
        r.metrics.delivered(now, m.created, m.attempts);
        return;
      }
      m.reason = reason;
      const double base = std::min(15.0 * std::pow(2.0, m.attempts - 1), 7200.0);
      m.next = now + microseconds(static_cast<long>(base * (0.9 + 0.2 * rng.uniform()) * 1e6));
      ++retrying;
      loop.at(m.next, [&, id] { attempt(id); });
    });
  };
  const auto gap = 3600.0 / records_per_hour;
  int next_id = 0;
  for (double s = 0; s < 3600 * 10; s += gap * 2 * rng.uniform()) {
    const auto t = start + microseconds(static_cast<long>(s * 1e6));
    const int id = next_id++;
    loop.at(t, [&, id, t] {
      notes[id].created = t;
      ++open;
      r.metrics.accepted(t);
      attempt(id);
    });
  }
  for (auto t = start; t < end; t += seconds(30))
    loop.at(t, [&] { r.metrics.sample(loop.clock().now(), open, in_flight, retrying); });
  loop.run_until(end);

  // A user deleted two of the stuck ones; the rest are the status page.
  int deleted = 0;
  for (auto& [id, n] : notes) {
    if (n.done) continue;
    auto& c = r.status.counts;
    if (deleted < 2 && n.attempts > 1) {
      ++deleted, ++c.deleted, n.done = true;
      r.metrics.deleted(end, n.created, n.attempts);
      continue;
    }
    ++(n.flying ? c.in_flight : c.retrying);
    r.status.rows.push_back({"Notify ERP", "Account", "001Dn00000" + std::to_string(100000 + id),
                             "04lDn0000" + std::to_string(1000000 + id), n.created, n.attempts,
                             n.flying ? std::nullopt : std::optional<time_point>(n.next), n.reason,
                             n.flying ? "in_flight" : "retrying"});
  }
  r.status.counts.delivered = r.metrics.totals().notifications_delivered;
  r.status.rows.push_back({"Notify ERP", "Account", "001Dn00000ZZZZ1", "04lDn0000ZZZZ01",
                           start + minutes(3), 1, std::nullopt,
                           "Ack \"false\" & <soap:Fault>, line 1", "failed"});
  ++r.status.counts.failed;

  const auto& c = r.metrics.totals();
  // The 503s reached the listener and were re-sent before it acked them: its retries.
  const std::uint64_t retries =
      c.failures_by_class.count("http_status") ? c.failures_by_class.at("http_status") : 0;
  r.ledger = ledger_summary{
      c.messages_acked + retries + duplicates,
      c.messages_acked + retries + duplicates,
      c.messages_acked,
      duplicates,
      retries,
      0,
      {{"refuse", c.failures_by_class.count("refused") ? c.failures_by_class.at("refused") : 0},
       {"status_503",
        c.failures_by_class.count("http_status") ? c.failures_by_class.at("http_status") : 0},
       {"delay", duplicates}}};
  r.drain_time = minutes(42) + seconds(17);
  r.markers = {{"during", "during 4h", start + hours(4)},
               {"recovery", "sap recovered", down_to},
               {"drain_end", "drained (42m17s after recovery)", down_to + *r.drain_time}};
  const auto p99 = r.metrics.delivery_latency().percentile(99);
  r.checks = {
      {"nothing lost", true, "0 lost", "0 lost", ""},
      {"all delivered within 2h of recovery", true, "42m17s", "<= 2h", ""},
      {"duplicates at most 5", duplicates <= 5, std::to_string(duplicates), "<= 5",
       duplicates <= 5 ? "" : "the listener acked after the 60s timeout <see ledger>"},
      {"delivery latency p99 <= 30m", p99 <= 30LL * 60 * 1000000, format_us(double(p99)), "<= 30m",
       ""},
  };
  return r;
}

}  // namespace outbound::reports::testing
