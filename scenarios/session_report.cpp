// A session's result as a reports::run_report: parameters, metrics, fault windows, expectation
// results, the final delivery status and the mocks' ledgers.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "reports/render.hpp"

#include "scenarios/session.hpp"
#include "sender/retry_policy.hpp"
#include "sender/status.hpp"

namespace outbound::scenarios {

namespace {

std::string fault_label(const std::string& endpoint, const mock_endpoint::fault& f) {
  std::string label = endpoint + ": " + std::string(mock_endpoint::to_string(f.kind));
  if (f.status != 0) label += " " + std::to_string(f.status);
  if (f.probability < 1) label += " (p=" + nlohmann::json(f.probability).dump() + ")";
  if (f.every) label += " (every " + std::to_string(*f.every) + ")";
  if (f.first) label += " (first " + std::to_string(*f.first) + ")";
  return label;
}

reports::status_counts to_report(const sender::state_counts& c) {
  using sender::state;
  reports::status_counts r;
  r.queued = c[state::queued];
  r.in_flight = c[state::in_flight];
  r.retrying = c[state::retrying];
  r.delivered = c[state::delivered];
  r.failed = c[state::failed];
  r.dropped = c[state::dropped];
  r.deleted = c[state::deleted];
  return r;
}

reports::delivery_status to_report(const sender::delivery_status& s) {
  reports::delivery_status out;
  out.counts = to_report(s.summary);
  for (const auto& row : s.items) {
    reports::status_row r;
    r.outbound_message = row.outbound_message;
    r.object = row.object;
    r.record_id = row.record_id;
    r.notification_id = row.notification_id;
    r.created = row.created;
    r.attempts = static_cast<std::uint32_t>(row.attempts);
    r.next_attempt = row.next_attempt;
    r.reason = row.reason;
    r.state = std::string(sender::to_string(row.status));
    out.rows.push_back(std::move(r));
  }
  return out;
}

}  // namespace

// Every declared fault with how often it fired: a fault that never fired is a warning, or a
// failed check when the scenario said "expect_fired".
void session::account_for_faults(reports::run_report& r) const {
  for (std::size_t i = 0; i < s_.endpoints.size(); ++i) {
    const auto& e = s_.endpoints[i];
    const std::vector<std::uint64_t> fired = mocks_[i]->fired_per_entry();
    for (std::size_t k = 0; k < e.faults.faults.size(); ++k) {
      reports::fault_entry f{e.name, k, fault_label(e.name, e.faults.faults[k]), fired.at(k),
                             e.expect_fired.at(k)};
      const std::string where = "/endpoints/" + std::to_string(i) + "/faults/" + std::to_string(k);
      if (f.fired == 0) r.warnings.push_back("fault " + where + " (" + f.label + ") never fired");
      if (f.expect_fired)
        r.checks.push_back({"fired." + e.name + "." + std::to_string(k), f.fired > 0,
                            std::to_string(f.fired), ">= 1",
                            f.fired > 0 ? "" : f.label + " never fired"});
      r.fault_entries.push_back(std::move(f));
    }
  }
}

// The moments the time charts mark: each endpoint's recovery (the end of its last fault window
// with a length), the end of the drain after the last recovery, and each `during` checkpoint,
// named as the scenario wrote its time.
void session::add_markers(reports::run_report& r) const {
  std::map<duration, std::string> recovered;  // when -> the endpoints that recovered then
  for (const auto& e : s_.endpoints)
    if (e.recovery > duration{})
      recovered[e.recovery] += (recovered[e.recovery].empty() ? "" : ", ") + e.name;
  for (const auto& [at, names] : recovered)
    r.markers.push_back({"recovery", names + " recovered", start_ + at});
  const time_point recovery = start_ + max_recovery();
  if (drain_end_ && max_recovery() > duration{} && *drain_end_ >= recovery)
    r.markers.push_back({"drain_end",
                         "drained (" +
                             reports::format_us(double((*drain_end_ - recovery).count())) +
                             " after recovery)",
                         *drain_end_});
  std::set<duration> marked;
  for (const auto& e : s_.expectations) {
    if (e.what != expectation::kind::status_at || !marked.insert(e.at).second) continue;
    // "during.27h.retrying" (or "definitions.X.during.27h.retrying"): the time as written.
    std::string when = e.name.substr(e.name.find("during.") + 7);
    if (when.size() > e.subject.size() && when.ends_with("." + e.subject))
      when.resize(when.size() - e.subject.size() - 1);
    r.markers.push_back({"during", "during " + when, start_ + e.at});
  }
  std::stable_sort(r.markers.begin(), r.markers.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
}

reports::run_report session::report(time_point wall_started, time_point wall_finished,
                                    std::string_view clock_name) {
  const measurements& m = measured();
  reports::run_report r;
  r.kind = "run";
  r.name = s_.name;
  nlohmann::json definitions = nlohmann::json::array();
  for (const auto& d : s_.definitions)
    definitions.push_back({{"full_name", d.definition.full_name},
                           {"object", d.definition.object},
                           {"endpoint", d.endpoint},
                           {"source", d.source},
                           {"use_dead_letter_queue", d.definition.use_dead_letter_queue}});
  nlohmann::json endpoints = nlohmann::json::array();
  for (const auto& e : s_.endpoints)
    endpoints.push_back({{"name", e.name},
                         {"path", e.path},
                         {"recovery", format_duration(e.recovery)},
                         {"faults", e.faults_json}});
  // A duration as the scenario wrote it ("30h" stays "30h", not "1d6h"), else computed.
  const auto as_written = [this](const char* key, duration value) {
    const auto at = s_.source.find(key);
    return at != s_.source.end() && at->is_string() ? at->get<std::string>()
                                                    : format_duration(value);
  };
  r.parameters = {{"scenario", s_.file.generic_string()},
                  {"description", s_.description},
                  {"duration", as_written("duration", s_.length)},
                  {"run_until", as_written("run_until", s_.run_until)},
                  {"retry", s_.delivery.retry},
                  {"batch_size", s_.delivery.batch_size},
                  {"connections", s_.delivery.connections},
                  {"timeout", format_duration(s_.delivery.timeout)},
                  {"definitions", std::move(definitions)},
                  {"endpoints", std::move(endpoints)}};
  r.started = wall_started;
  r.finished = wall_finished;
  r.simulated_start = start_;
  r.simulated_end = finished_ ? end_ : sched_.clock().now();
  r.clock = std::string(clock_name);
  r.seed = seed_;
  // Drained before the recovery (nothing was held up): zero, never negative.
  r.drain_time = m.drain_time;
  r.metrics = metrics_;
  for (std::size_t i = 0; i < s_.endpoints.size(); ++i)
    for (const auto& f : s_.endpoints[i].faults.faults)
      if (f.for_)
        r.faults.push_back(
            {fault_label(s_.endpoints[i].name, f), start_ + f.after, start_ + f.after + *f.for_});
  add_markers(r);
  r.checks = evaluate(s_.expectations, m);
  r.checks.insert(r.checks.end(), action_results_.begin(), action_results_.end());
  for (std::size_t i = action_results_.size(); i < s_.actions.size(); ++i)
    r.checks.push_back(
        {"actions." + std::to_string(i) + "." + std::string(to_string(s_.actions[i].what)), false,
         "not done", "done", "the run ended before " + format_duration(s_.actions[i].at)});
  account_for_faults(r);
  for (const auto& d : s_.definitions)
    if (d.definition.endpoint_url.rfind("https:", 0) == 0 && !s_.endpoint_named(d.endpoint).https)
      r.warnings.push_back(d.definition.full_name + ": its endpoint URL " +
                           d.definition.endpoint_url + " is https, but endpoint " + d.endpoint +
                           " serves plain HTTP (\"https\": false): TLS was not exercised");
  r.status = to_report(sender::collect_status(*store_, 1000));
  reports::ledger_summary ledger;
  for (const auto& mock : mocks_) {
    const auto& l = mock->ledger();
    ledger.messages += l.messages();
    ledger.notifications += l.notifications();
    ledger.unique += l.unique_notifications();
    ledger.duplicates += l.duplicates();
    ledger.retries += l.retries();
    ledger.stale += l.stale();
    for (std::size_t k = 0; k < mock_endpoint::fault_kind_count; ++k)
      if (const auto n = mock->faults_injected()[k])
        ledger.faults_injected[std::string(
            mock_endpoint::to_string(static_cast<mock_endpoint::fault_kind>(k)))] += n;
  }
  r.ledger = ledger;
  return r;
}

}  // namespace outbound::scenarios
