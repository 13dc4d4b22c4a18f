// The report model's own logic: totals, pass/fail and the exact merge of shards or runs.
#include "reports/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "common/input_error.hpp"
#include "reports/threshold.hpp"

namespace outbound::reports {

std::uint64_t status_counts::total() const {
  return queued + in_flight + retrying + delivered + failed + dropped + deleted;
}

bool run_report::passed() const {
  return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; }) &&
         std::all_of(thresholds.begin(), thresholds.end(),
                     [](const auto& t) { return t.passed; }) &&
         std::all_of(shards.begin(), shards.end(),
                     [](const auto& s) { return s.ran_to_the_end(); });
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
  a.retries += b.retries;
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

namespace {

// The check a merged load report carries: every shard of the test is there and ran to the end.
constexpr const char* every_shard_check = "every shard ran to the end";

std::string shard_name(const load_shard& s) {
  return fmt::format("{}/{}", s.index, s.count);
}

// The shards of load reports, each with its report's parameters; refuses shards of different
// tests (another N) and a shard given twice (1/1 runs may repeat: each is a whole test).
std::vector<load_shard> merge_shards(const std::vector<run_report>& reports,
                                     const std::function<std::string(std::size_t)>& name_of) {
  std::vector<load_shard> out;
  std::map<std::uint64_t, std::string> seen;  // shard index -> the report that had it
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (std::size_t k = 0; k < reports[i].shards.size(); ++k) {
      load_shard s = reports[i].shards[k];
      const std::string at = "/shards/" + std::to_string(k);
      if (!out.empty() && s.count != out.front().count)
        throw input_error(name_of(i), at,
                          fmt::format("a shard of the same test as {}: K/{} (got {})", name_of(0),
                                      out.front().count, shard_name(s)));
      if (s.count > 1) {
        const auto [it, fresh] = seen.emplace(s.index, name_of(i));
        if (!fresh)
          throw input_error(name_of(i), at,
                            fmt::format("a shard not given before (shard {} is in {} too)",
                                        shard_name(s), it->second));
      }
      if (s.parameters.empty()) s.parameters = reports[i].parameters;
      out.push_back(std::move(s));
    }
  }
  return out;
}

check_result every_shard_ran(const std::vector<load_shard>& shards) {
  const std::uint64_t expected = shards.front().count > 1 ? shards.front().count : shards.size();
  std::vector<std::string> problems;
  std::set<std::uint64_t> present;
  for (const auto& s : shards) present.insert(s.index);
  if (shards.front().count > 1)
    for (std::uint64_t k = 1; k <= expected; ++k)
      if (!present.contains(k))
        problems.push_back(fmt::format("{}/{} missing", k, shards.front().count));
  std::uint64_t complete = 0;
  for (const auto& s : shards) {
    if (s.ran_to_the_end())
      ++complete;
    else
      problems.push_back(fmt::format("{} stopped after {} of {} messages", shard_name(s),
                                     s.answered, s.scheduled));
  }
  check_result c;
  c.name = every_shard_check;
  c.measured = fmt::format("{} of {}", complete, expected);
  c.expected = fmt::format("{} of {}", expected, expected);
  c.passed = problems.empty();
  for (const auto& p : problems) c.message += (c.message.empty() ? "" : "; ") + p;
  return c;
}

// The thresholds of every report (each once, in order), evaluated again on the merged report.
std::vector<threshold_result> reevaluate(const std::vector<run_report>& reports,
                                         const run_report& merged,
                                         const std::function<std::string(std::size_t)>& name_of) {
  std::vector<threshold> thresholds;
  for (std::size_t i = 0; i < reports.size(); ++i)
    for (std::size_t k = 0; k < reports[i].thresholds.size(); ++k) {
      const auto& text = reports[i].thresholds[k].threshold;
      if (std::none_of(thresholds.begin(), thresholds.end(),
                       [&](const threshold& t) { return t.text == text; }))
        thresholds.push_back(
            parse_threshold(text, name_of(i), "/thresholds/" + std::to_string(k) + "/threshold"));
    }
  return evaluate_thresholds(thresholds, merged);
}

}  // namespace

run_report merge(const std::vector<run_report>& reports, const std::vector<std::string>& files) {
  if (reports.empty()) throw input_error("", "", "at least one report to merge");
  const std::function<std::string(std::size_t)> name_of = [&](std::size_t i) {
    return i < files.size() ? files[i] : reports[i].name;
  };
  run_report out = reports.front();
  auto names = nlohmann::json::array({name_of(0)});
  for (std::size_t i = 1; i < reports.size(); ++i) {
    const auto& r = reports[i];
    if (r.kind != out.kind)
      throw input_error(name_of(i), "/kind", "\"" + out.kind + "\" like " + name_of(0));
    names.push_back(name_of(i));
    out.started = std::min(out.started, r.started);
    out.finished = std::max(out.finished, r.finished);
    out.simulated_start = std::min(out.simulated_start, r.simulated_start);
    out.simulated_end = std::max(out.simulated_end, r.simulated_end);
    if (r.clock != out.clock)
      throw input_error(name_of(i), "/clock", "\"" + out.clock + "\" like " + name_of(0));
    if (r.drain_time && (!out.drain_time || *r.drain_time > *out.drain_time))
      out.drain_time = r.drain_time;
    out.metrics.merge(r.metrics);
    if (r.load) {
      if (!out.load) out.load = load_series{};
      out.load->merge(*r.load);
    }
    out.faults.insert(out.faults.end(), r.faults.begin(), r.faults.end());
    for (const auto& m : r.markers)  // the same schedule played by every shard: marked once
      if (std::find(out.markers.begin(), out.markers.end(), m) == out.markers.end())
        out.markers.push_back(m);
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
  out.shards = merge_shards(reports, name_of);
  if (!out.shards.empty()) {
    // A load report's only check is this one, from an earlier merge: it is decided again.
    std::erase_if(out.checks, [](const check_result& c) { return c.name == every_shard_check; });
    out.checks.push_back(every_shard_ran(out.shards));
  }
  out.thresholds = reevaluate(reports, out, name_of);
  return out;
}

}  // namespace outbound::reports
