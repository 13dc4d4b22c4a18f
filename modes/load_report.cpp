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

}  // namespace

double shard_rate(const load_options& options) {
  return plan_of(options).mean_rate() / static_cast<double>(options.shard.count);
}

namespace {

// The stages as report.json keeps them: durations in us, rates per second, the test's (not the
// shard's share).
nlohmann::json stages_json(const arrival_plan& plan) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : plan.stages())
    out.push_back(
        {{"duration_us", s.length.count()}, {"from_per_second", s.from}, {"to_per_second", s.to}});
  return out;
}

nlohmann::json definitions_json(const std::vector<load_definition>& mix) {
  double total = 0;
  for (const auto& d : mix) total += d.weight;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : mix)
    out.push_back({{"definition", d.definition.full_name},
                   {"object", d.definition.object},
                   {"weight", d.weight},
                   {"share", d.weight / total},
                   {"batch", d.batch.describe()},
                   {"batch_mean", d.batch.mean()}});
  return out;
}

}  // namespace

reports::run_report load_report(const load_options& options, const load_result& result) {
  reports::run_report r;
  r.kind = "load";
  r.name = "load";
  r.clock = "real";
  r.seed = options.seed;
  r.started = r.simulated_start = result.start;
  r.finished = r.simulated_end = result.end;
  r.metrics = result.metrics;
  const arrival_plan plan = plan_of(options);
  const auto mix = mix_of(options);
  r.parameters = {
      {"endpoint", options.endpoint.url},
      {"rate_per_second", shard_rate(options)},
      {"duration_us", plan.length().count()},
      {"connections", options.connections},
      {"timeout_us", options.timeout.count()},
      {"shard", fmt::format("{}/{}", options.shard.index, options.shard.count)},
      {"first_notification_sequence", result.first_sequence},
      {"messages_scheduled", result.scheduled},
      {"achieved_rate_per_second", result.achieved_rate(plan.length())},
      {"max_backlog", result.max_backlog},
      {"latency_from_intended_start_us", percentiles(result.metrics.response_time())},
      {"service_time_us", percentiles(result.metrics.service_time())},
  };
  if (mix.size() == 1) {  // the parameters of a run without a profile, as they always were
    r.parameters["batch"] = mix[0].batch.choices.empty() && mix[0].batch.min == mix[0].batch.max
                                ? nlohmann::json(mix[0].batch.min)
                                : nlohmann::json(mix[0].batch.describe());
    r.parameters["definition"] = mix[0].definition.full_name;
    r.parameters["object"] = mix[0].definition.object;
  } else {
    r.parameters["definitions"] = definitions_json(mix);
  }
  if (!options.profile.empty()) {
    r.parameters["profile"] = options.profile;
    r.parameters["stages"] = stages_json(plan);
    if (mix.size() == 1) r.parameters["definitions"] = definitions_json(mix);
  }
  r.load = result.series;
  reports::load_shard s;
  s.index = options.shard.index;
  s.count = options.shard.count;
  s.host = options.host;
  s.rate_per_second = shard_rate(options);
  s.length = plan.length();
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
  const duration length = plan_of(options).length();
  std::string out = fmt::format(
      "load {}: sent {} of {} messages ({} notifications) in {}: achieved {:.1f}/s of {} "
      "requested\n",
      options.endpoint.url, result.sent, result.scheduled, totals.notification_attempts,
      reports::format_us(static_cast<double>((result.end - result.start).count())),
      result.achieved_rate(length), format_rate(rate{shard_rate(options)}));
  out +=
      fmt::format("  acked {} messages, failed {}", totals.messages_acked, totals.messages_failed);
  for (const auto& [failure_class, n] : totals.failures_by_class)
    out += fmt::format(", {} {}", failure_class, n);
  out += fmt::format("; at most {} waited for a connection at once\n", result.max_backlog);
  if (result.series.definitions().size() > 1)
    for (const auto& [name, s] : result.series.definitions())
      out += fmt::format("  {}: {} ok, {} failed, latency p99 {}\n", name, s.ok, s.ko,
                         reports::format_us(static_cast<double>(s.latency.percentile(99))));
  return out;
}

}  // namespace outbound::modes
