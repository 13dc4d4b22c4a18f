#include "modes/load_report.hpp"

#include <fmt/format.h>

#include "reports/render.hpp"

namespace outbound::modes {
namespace {

nlohmann::json percentiles(const reports::histogram& h) {
  nlohmann::json j = nlohmann::json::object();
  for (const double p : {50.0, 90.0, 99.0, 99.9, 99.99})
    j[fmt::format("p{:g}", p)] = h.percentile(p);
  j["max"] = h.max();
  return j;
}

std::string spectrum(const reports::histogram& h) {
  if (h.empty()) return "none";
  return fmt::format("p50 {}  p90 {}  p99 {}  p99.9 {}  max {}",
                     reports::format_us(static_cast<double>(h.percentile(50))),
                     reports::format_us(static_cast<double>(h.percentile(90))),
                     reports::format_us(static_cast<double>(h.percentile(99))),
                     reports::format_us(static_cast<double>(h.percentile(99.9))),
                     reports::format_us(static_cast<double>(h.max())));
}

}  // namespace

double shard_rate(const load_options& options) {
  return options.rate.per_second / static_cast<double>(options.shard.count);
}

reports::run_report load_report(const load_options& options, const load_result& result) {
  reports::run_report r;
  r.kind = "load";
  r.name = "load";
  r.clock = "real";
  r.seed = options.seed;
  r.started = r.simulated_start = result.start;
  r.finished = r.simulated_end = result.end;
  r.metrics = result.metrics;
  r.parameters = {
      {"endpoint", options.endpoint.url},
      {"rate_per_second", shard_rate(options)},
      {"duration_us", options.length.count()},
      {"batch", options.batch},
      {"connections", options.connections},
      {"timeout_us", options.timeout.count()},
      {"shard", fmt::format("{}/{}", options.shard.index, options.shard.count)},
      {"definition", options.definition.full_name},
      {"object", options.definition.object},
      {"first_notification_sequence", result.first_sequence},
      {"messages_scheduled", result.scheduled},
      {"achieved_rate_per_second", result.achieved_rate(options.length)},
      {"max_backlog", result.max_backlog},
      {"latency_from_intended_start_us", percentiles(result.metrics.response_time())},
      {"service_time_us", percentiles(result.metrics.service_time())},
  };
  reports::load_shard s;
  s.index = options.shard.index;
  s.count = options.shard.count;
  s.host = options.host;
  s.rate_per_second = shard_rate(options);
  s.length = options.length;
  s.seed = options.seed;
  s.start_at = options.start_at;
  s.start = result.start;
  s.end = result.end;
  s.scheduled = result.scheduled;
  s.sent = result.sent;
  s.answered = result.answered;
  r.shards = {s};
  const auto& totals = result.metrics.totals();
  r.status.counts.delivered = totals.notifications_delivered;
  r.status.counts.failed = totals.notifications_failed;
  r.status.counts.in_flight = totals.still_queued();
  return r;
}

std::string load_summary(const load_options& options, const load_result& result) {
  const auto& totals = result.metrics.totals();
  std::string out = fmt::format(
      "load {}: sent {} of {} messages ({} notifications) in {}: achieved {:.1f}/s of {} "
      "requested\n",
      options.endpoint.url, result.sent, result.scheduled, totals.notification_attempts,
      format_duration(result.end - result.start), result.achieved_rate(options.length),
      format_rate(rate{shard_rate(options)}));
  out +=
      fmt::format("  acked {} messages, failed {}", totals.messages_acked, totals.messages_failed);
  for (const auto& [failure_class, n] : totals.failures_by_class)
    out += fmt::format(", {} {}", failure_class, n);
  out += fmt::format("; most waiting for a connection: {}\n", result.max_backlog);
  out += "  latency from intended start: " + spectrum(result.metrics.response_time()) + "\n";
  out += "  service time (send to answer): " + spectrum(result.metrics.service_time()) + "\n";
  return out;
}

}  // namespace outbound::modes
