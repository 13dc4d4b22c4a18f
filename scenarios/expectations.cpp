#include "scenarios/expectations.hpp"

#include <algorithm>
#include <cstdio>
#include <regex>

#include "reports/render.hpp"

namespace outbound::scenarios {
namespace {

using kind = expectation::kind;

// Measured durations read as people write them ("1h59m", "200ms"), not to the microsecond.
std::string readable(duration d) {
  return reports::format_us(static_cast<double>(d.count()));
}

bool top_level(const expectation& e) {
  return e.definition.empty() && e.endpoint.empty();
}

const definition_measurements& scope(const expectation& e, const measurements& m) {
  static const definition_measurements none;
  if (!e.endpoint.empty()) {
    auto it = m.by_endpoint.find(e.endpoint);
    return it == m.by_endpoint.end() ? none : it->second;
  }
  if (e.definition.empty()) return m.total;
  auto it = m.by_definition.find(e.definition);
  return it == m.by_definition.end() ? none : it->second;
}

std::uint64_t duplicates_of(const expectation& e, const definition_measurements& d,
                            const measurements& m) {
  return top_level(e) ? m.duplicates : d.duplicates;
}

std::uint64_t retries_of(const expectation& e, const definition_measurements& d,
                         const measurements& m) {
  return top_level(e) ? m.retries : d.retries;
}

std::uint64_t stale_of(const expectation& e, const definition_measurements& d,
                       const measurements& m) {
  return top_level(e) ? m.stale : d.stale;
}

std::uint64_t count_of(const expectation& e, const definition_measurements& d,
                       const measurements& m) {
  const std::string& subject = e.subject;
  if (subject == "duplicates") return duplicates_of(e, d, m);
  if (subject == "retries") return retries_of(e, d, m);
  if (subject == "stale") return stale_of(e, d, m);
  if (subject == "messages") return d.messages;
  if (subject == "accepted") return d.accepted;
  if (subject == "delivered") return d.delivered;
  if (subject == "failed") return d.failed;
  if (subject == "dropped") return d.dropped;
  return d.deleted;
}

std::uint64_t state_of(const sender::state_counts& c, const std::string& subject) {
  auto s = sender::state_from_string(subject);
  return s ? c[*s] : 0;
}

reports::check_result judge_count(const expectation& e, std::uint64_t measured) {
  const bool at_most = e.what == kind::duplicates_at_most || e.what == kind::stale_at_most ||
                       e.what == kind::attempts_at_most;
  return {e.name, e.range.contains(measured), std::to_string(measured),
          at_most ? "<= " + std::to_string(e.range.max) : describe(e.range), ""};
}

reports::check_result nothing_lost(const expectation& e, const definition_measurements& d) {
  // Accounted for: delivered (and seen by the mock), dead-lettered, or deleted by a user.
  const std::uint64_t settled = d.delivered + d.failed + d.deleted;
  const std::uint64_t pending =
      d.accepted > settled + d.dropped ? d.accepted - settled - d.dropped : 0;
  const std::uint64_t lost = d.dropped + pending + d.not_in_ledger;
  std::string message;
  if (lost != 0)
    message = std::to_string(d.dropped) + " dropped, " + std::to_string(pending) +
              " never settled, " + std::to_string(d.not_in_ledger) +
              " acked but missing from the mock's ledger";
  return {e.name, lost == 0, std::to_string(lost) + " lost of " + std::to_string(d.accepted),
          "0 lost", message};
}

reports::check_result delivered_within(const expectation& e, const definition_measurements& d) {
  const std::string expected = "<= " + format_duration(e.limit) + " after recovery";
  const std::uint64_t undelivered = d.accepted - std::min(d.accepted, d.delivered + d.deleted);
  if (undelivered != 0)
    return {e.name, false, std::to_string(undelivered) + " not delivered", expected,
            "every accepted notification must be delivered"};
  const duration worst = d.worst_drain.value_or(duration{});
  return {e.name, worst <= e.limit, readable(worst), expected, ""};
}

// "<= 5m", ">= 1s" or "1s..5m".
std::string describe_limits(const expectation& e) {
  if (!e.at_least) return "<= " + format_duration(e.limit);
  if (e.limit == duration::max()) return ">= " + format_duration(*e.at_least);
  return format_duration(*e.at_least) + ".." + format_duration(e.limit);
}

bool within_limits(const expectation& e, duration v) {
  return v <= e.limit && (!e.at_least || v >= *e.at_least);
}

reports::check_result latency(const expectation& e, const definition_measurements& d) {
  const auto& h = e.subject == "end_to_end" ? d.end_to_end : d.per_attempt;
  const std::string expected = describe_limits(e);
  if (h.empty()) return {e.name, false, "no samples", expected, "nothing was measured"};
  const std::int64_t v = h.percentile(e.percentile);
  return {e.name, within_limits(e, duration(v)), readable(duration(v)), expected, ""};
}

reports::check_result drain_time(const expectation& e, const measurements& m) {
  // Nothing held up by a fault window drains in no time, as the report shows it.
  const duration v = m.drain_time.value_or(duration{});
  return {e.name, within_limits(e, v), readable(v), describe_limits(e), ""};
}

std::uint64_t of_subject(const std::map<std::string, std::uint64_t>& counts,
                         const std::string& subject) {
  auto it = counts.find(subject);
  return it == counts.end() ? 0 : it->second;
}

std::uint64_t matching_reasons(const definition_measurements& d, const std::string& pattern) {
  const std::regex re(pattern);
  std::uint64_t n = 0;
  for (const auto& [reason, count] : d.failures_by_reason)
    if (std::regex_search(reason, re)) n += count;
  return n;
}

reports::check_result newest_values(const expectation& e, const definition_measurements& d) {
  const std::uint64_t bad = d.records_not_newest;
  return {e.name, bad == 0,
          std::to_string(bad) + " of " + std::to_string(d.records_checked) + " not newest",
          "0 not newest",
          bad == 0 ? ""
                   : "the listener's data for " + d.first_not_newest +
                         " (and any others counted) is not the record's newest"};
}

reports::check_result status_at(const expectation& e, const measurements& m) {
  for (const auto& s : m.snapshots)
    if (s.at == e.at && s.definition == e.definition)
      return judge_count(e, state_of(s.counts, e.subject));
  return {e.name, false, "no snapshot", describe(e.range),
          "the run ended before " + format_duration(e.at)};
}

}  // namespace

std::string percentile_name(double p) {
  if (p >= 100) return "max";
  char buf[32];
  std::snprintf(buf, sizeof buf, "p%g", p);
  return buf;
}

bool needs_record_data(const std::vector<expectation>& expectations) {
  return std::any_of(expectations.begin(), expectations.end(),
                     [](const expectation& e) { return e.what == kind::newest_values; });
}

std::vector<duration> snapshot_times(const std::vector<expectation>& expectations) {
  std::vector<duration> out;
  for (const auto& e : expectations)
    if (e.what == kind::status_at) out.push_back(e.at);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

reports::check_result evaluate(const expectation& e, const measurements& m) {
  const definition_measurements& d = scope(e, m);
  switch (e.what) {
    case kind::nothing_lost:
      return nothing_lost(e, d);
    case kind::count:
      return judge_count(e, count_of(e, d, m));
    case kind::duplicates_at_most:
      return judge_count(e, duplicates_of(e, d, m));
    case kind::stale_at_most:
      return judge_count(e, stale_of(e, d, m));
    case kind::attempts:
      return judge_count(e, d.max_attempts);
    case kind::drain_time:
      return drain_time(e, m);
    case kind::failures:
      return judge_count(e, of_subject(d.failures_by_class, e.subject));
    case kind::failure_reason:
      return judge_count(e, matching_reasons(d, e.subject));
    case kind::faults_injected:
      return judge_count(e, of_subject(d.faults_injected, e.subject));
    case kind::newest_values:
      return newest_values(e, d);
    case kind::attempts_at_most:
      return judge_count(e, d.max_attempts);
    case kind::delivered_within:
      return delivered_within(e, d);
    case kind::latency:
      return latency(e, d);
    case kind::final_status:
      return judge_count(e, state_of(d.final_status, e.subject));
    case kind::status_at:
      return status_at(e, m);
  }
  return {e.name, false, "", "", "unknown expectation"};
}

std::vector<reports::check_result> evaluate(const std::vector<expectation>& expectations,
                                            const measurements& m) {
  std::vector<reports::check_result> out;
  out.reserve(expectations.size());
  for (const auto& e : expectations) out.push_back(evaluate(e, m));
  return out;
}

}  // namespace outbound::scenarios
