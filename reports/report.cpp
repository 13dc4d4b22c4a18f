// The report model's own logic: totals, pass/fail and the exact merge of shards or runs.
#include "reports/report.hpp"

#include <algorithm>

#include "common/input_error.hpp"

namespace outbound::reports {

std::uint64_t status_counts::total() const {
  return queued + in_flight + retrying + delivered + failed + dropped + deleted;
}

bool run_report::passed() const {
  return std::all_of(checks.begin(), checks.end(), [](const check_result& c) { return c.passed; });
}

namespace {

void add(status_counts& a, const status_counts& b) {
  a.queued += b.queued;
  a.in_flight += b.in_flight;
  a.retrying += b.retrying;
  a.delivered += b.delivered;
  a.failed += b.failed;
  a.dropped += b.dropped;
  a.deleted += b.deleted;
}

void add(ledger_summary& a, const ledger_summary& b) {
  a.messages += b.messages;
  a.notifications += b.notifications;
  a.unique += b.unique;
  a.duplicates += b.duplicates;
  a.stale += b.stale;
  for (const auto& [kind, n] : b.faults_injected) a.faults_injected[kind] += n;
}

// The shards' parameters in one object. Rates and message counts (keys ending in "_per_second" or
// starting with "messages_") are summed: the shards ran side by side, so they add up. Any other
// value is kept when all reports share it, else it becomes the list of every report's value, in
// order ("shard": ["1/2", "2/2"]).
nlohmann::json merge_parameters(const std::vector<run_report>& reports) {
  nlohmann::json out = nlohmann::json::object();
  std::vector<std::string> keys;
  for (const auto& r : reports)
    if (r.parameters.is_object())
      for (const auto& [key, value] : r.parameters.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  for (const auto& key : keys) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& r : reports)
      values.push_back(r.parameters.is_object() && r.parameters.contains(key) ? r.parameters[key]
                                                                              : nlohmann::json());
    const bool same =
        std::all_of(values.begin(), values.end(), [&](const auto& v) { return v == values[0]; });
    const bool adds_up =
        (key.ends_with("_per_second") || key.starts_with("messages_")) &&
        std::all_of(values.begin(), values.end(), [](const auto& v) { return v.is_number(); });
    if (adds_up) {
      const bool whole = std::all_of(values.begin(), values.end(),
                                     [](const auto& v) { return v.is_number_integer(); });
      double sum = 0;
      for (const auto& v : values) sum += v.template get<double>();
      out[key] = whole ? nlohmann::json(static_cast<std::int64_t>(sum)) : nlohmann::json(sum);
    } else {
      out[key] = same ? values[0] : values;
    }
  }
  return out;
}

}  // namespace

run_report merge(const std::vector<run_report>& reports) {
  if (reports.empty()) throw input_error("", "", "at least one report to merge");
  run_report out = reports.front();
  auto names = nlohmann::json::array({out.name});
  for (std::size_t i = 1; i < reports.size(); ++i) {
    const auto& r = reports[i];
    if (r.kind != out.kind)
      throw input_error(r.name, "/kind", "\"" + out.kind + "\" like the first report");
    names.push_back(r.name);
    out.started = std::min(out.started, r.started);
    out.finished = std::max(out.finished, r.finished);
    out.simulated_start = std::min(out.simulated_start, r.simulated_start);
    out.simulated_end = std::max(out.simulated_end, r.simulated_end);
    if (r.clock != out.clock)
      throw input_error(r.name, "/clock", "\"" + out.clock + "\" like the first report");
    if (r.drain_time && (!out.drain_time || *r.drain_time > *out.drain_time))
      out.drain_time = r.drain_time;
    out.metrics.merge(r.metrics);
    out.faults.insert(out.faults.end(), r.faults.begin(), r.faults.end());
    out.fault_entries.insert(out.fault_entries.end(), r.fault_entries.begin(),
                             r.fault_entries.end());
    out.warnings.insert(out.warnings.end(), r.warnings.begin(), r.warnings.end());
    out.checks.insert(out.checks.end(), r.checks.begin(), r.checks.end());
    add(out.status.counts, r.status.counts);
    out.status.rows.insert(out.status.rows.end(), r.status.rows.begin(), r.status.rows.end());
    if (r.ledger) {
      if (!out.ledger) out.ledger = ledger_summary{};
      add(*out.ledger, *r.ledger);
    }
  }
  if (reports.size() > 1) {
    out.parameters = merge_parameters(reports);
    out.parameters["merged_from"] = names;
    // Identical fault windows (the same schedule played by every shard) are shaded once.
    std::vector<fault_window> unique;
    for (const auto& f : out.faults)
      if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
    out.faults = std::move(unique);
  }
  return out;
}

}  // namespace outbound::reports
