#include "scenarios/session.hpp"

#include <algorithm>
#include <span>

#include "reports/metrics.hpp"
#include "sender/retry_policy.hpp"
#include "sender/status.hpp"
#include "sender/store_reader.hpp"

namespace outbound::scenarios {

namespace {

// About this many queue samples per run, for the charts.
constexpr std::int64_t samples_per_run = 400;

// The run's expected length, for the metrics' series interval: the workload and some drain.
duration expected_length(const scenario& s) {
  return std::min(s.run_until,
                  s.length + std::max<duration>(s.length / 4, std::chrono::minutes(1)));
}

}  // namespace

session::session(const scenario& s, std::uint64_t seed, scheduler& sched, store_factory open_store)
    : s_(s),
      seed_(seed),
      sched_(sched),
      start_(sched.clock().now()),
      rng_(seed),
      workload_rng_(rng_.fork()),
      sender_rng_(rng_.fork()),
      metrics_(start_, expected_length(s)) {
  in_memory_ = !open_store;
  open_store_ = open_store ? std::move(open_store) : [] {
    return std::unique_ptr<sender::store>(new sender::memory_store);
  };
  store_ = open_store_();
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    mock_endpoint::responder_options options;
    options.tls = s.endpoints[i].https;  // the tls_* faults apply
    // The mock checks the object, fields and organization when one definition is served.
    std::size_t served = 0;
    for (const auto& d : s.definitions) {
      if (d.endpoint != s.endpoints[i].name) continue;
      ++served;
      options.definition = d.definition;
      mock_of_definition_[d.definition.full_name] = i;
    }
    if (served != 1) options.definition.reset();
    options.ledger.keep_record_data = needs_record_data(s.expectations);
    mocks_.push_back(std::make_unique<mock_endpoint::responder>(s.endpoints[i].faults, rng_.next(),
                                                                options, start_));
  }
  sample_every_ =
      std::max<duration>(expected_length(s) / samples_per_run, std::chrono::milliseconds(10));
  snapshot_times_ = snapshot_times(s.expectations);
}

session::~session() = default;

definition_measurements& session::of(const std::string& definition) {
  return measured_.by_definition[definition];
}

std::array<definition_measurements*, 3> session::scopes(const std::string& definition) {
  const auto& endpoint = s_.endpoints[mock_of_definition_.at(definition)].name;
  return {&measured_.total, &of(definition), &measured_.by_endpoint[endpoint]};
}

duration session::max_recovery() const {
  duration r{};
  for (const auto& e : s_.endpoints) r = std::max(r, e.recovery);
  return r;
}

void session::settled(const sender::notification& n) {
  for (auto* d : scopes(n.definition))
    d->max_attempts =
        std::max<std::uint64_t>(d->max_attempts, static_cast<std::uint64_t>(n.attempts));
}

sender::engine_observer session::observer() {
  sender::engine_observer o;
  o.accepted = [this](const sender::notification& n) {
    for (auto* d : scopes(n.definition)) ++d->accepted;
    metrics_.accepted(n.created);
  };
  o.attempt_sent = [this](const sender::attempt& a) {
    std::uint32_t retried = 0;
    for (const auto& n : a.notifications)
      if (n.attempts > 0) ++retried;
    metrics_.attempt_sent(a.sent_at, static_cast<std::uint32_t>(a.notifications.size()), retried);
  };
  o.attempt_finished = [this](const sender::attempt& a, const sender::verdict& v,
                              duration elapsed) {
    metrics_.attempt_finished(sched_.clock().now(),
                              static_cast<std::uint32_t>(a.notifications.size()), v.failure_class,
                              elapsed);
    for (auto* d : scopes(a.definition)) {
      ++d->messages;
      // As the report's response time: a refused connection is a failure, not a response
      // (docs/scenarios.md, latency.per_attempt).
      if (reports::reached_listener(v.failure_class)) d->per_attempt.record(elapsed);
      if (v.delivered) continue;
      ++d->failures_by_class[v.failure_class];
      ++d->failures_by_reason[v.reason];
    }
  };
  o.delivered = [this](const sender::notification& n) {
    const time_point at = n.delivered_at.value_or(sched_.clock().now());
    metrics_.delivered(at, n.created, static_cast<std::uint32_t>(n.attempts));
    const auto mock = mock_of_definition_.at(n.definition);
    const time_point healthy = std::max(n.created, start_ + s_.endpoints[mock].recovery);
    const bool seen = mocks_[mock]->ledger().contains(n.id);
    if (max_recovery() > duration{} && n.created < start_ + max_recovery())
      drain_end_ = std::max(drain_end_.value_or(at), at);
    for (auto* d : scopes(n.definition)) {
      ++d->delivered;
      d->end_to_end.record(at - n.created);
      d->worst_drain = std::max(d->worst_drain.value_or(duration{}), at - healthy);
      if (!seen) ++d->not_in_ledger;
    }
    settled(n);
  };
  o.failed = [this](const sender::notification& n) {
    metrics_.failed(sched_.clock().now(), n.created, static_cast<std::uint32_t>(n.attempts));
    for (auto* d : scopes(n.definition)) ++d->failed;
    settled(n);
  };
  o.dropped = [this](const sender::notification& n) {
    metrics_.dropped(sched_.clock().now(), n.created, static_cast<std::uint32_t>(n.attempts));
    for (auto* d : scopes(n.definition)) ++d->dropped;
    settled(n);
  };
  o.idle = [this] { check_done(); };
  return o;
}

void session::start(sender::transport& t, const std::vector<std::string>& urls) {
  // A record has the fields of every definition on its object, so each definition's messages
  // carry values for its own fields.
  std::map<std::string, std::vector<soap::field>> fields_of_object;
  for (const auto& d : s_.definitions) {
    auto& fields = fields_of_object[d.definition.object];
    for (const auto& f : d.definition.fields)
      if (std::none_of(fields.begin(), fields.end(),
                       [&](const soap::field& g) { return g.name == f.name; }))
        fields.push_back(f);
  }
  // Initial records exist before any definition, so creating them fires no rule.
  for (const auto& d : s_.definitions) {
    auto [it, added] = pools_.try_emplace(d.definition.object, d.definition.object,
                                          fields_of_object.at(d.definition.object));
    auto changes = it->second.initial(d.work.records, workload_rng_, start_);
    if (!changes.empty()) store_->accept(std::move(changes), start_);
  }
  for (std::size_t i = 0; i < s_.definitions.size(); ++i) {
    const auto& d = s_.definitions[i];
    soap::definition def = d.definition;
    def.endpoint_url = urls.at(mock_of_definition_.at(def.full_name));
    store_->put_definition(def);
    for (const auto& a : schedule_arrivals(d.work, s_.start, workload_rng_))
      feed_.push_back({a.at, a.kind, def.object});
  }
  std::stable_sort(feed_.begin(), feed_.end(),
                   [](const timed_change& a, const timed_change& b) { return a.at < b.at; });

  transport_ = &t;
  start_engine();

  for (duration at : snapshot_times_) sched_.at(start_ + at, [this, at] { snapshot(at); });
  for (const auto& a : s_.actions) sched_.at(start_ + a.at, [this, &a] { act(a); });
  sched_.at(start_ + s_.run_until, [this] {
    if (finished_) return;
    stopping_ = true;
    engine_->stop();
    check_done();
  });
  sched_.at(start_, [this] { sample(); });
  if (feed_.empty()) {
    sched_.at(start_ + s_.length, [this] {
      feed_done_ = true;
      check_done();
    });
  } else {
    sched_.at(start_ + feed_.front().at, [this] { feed_next(); });
  }
}

void session::start_engine() {
  sender::engine_options options;
  options.batch = s_.delivery.batch_size;
  options.connections = s_.delivery.connections;
  options.request_timeout = s_.delivery.timeout;
  options.policy =
      sender::retry_policy_from_json(s_.delivery.retry, s_.file.string(), "/delivery/retry");
  engine_ = std::make_unique<sender::engine>(*store_, sched_, *transport_, sender_rng_, options,
                                             observer());
  engine_->start();
}

// The sender process dies and starts again at once: the answers to messages in flight are never
// read, so those notifications are pending again and sent again (the listener may count them
// twice); what was durable survives. The SQLite store is closed and opened again (in_flight is
// not a state on disk); the memory store, standing in for it, releases its in-flight ones.
reports::check_result session::crash(const std::string& name) {
  std::vector<std::uint64_t> in_flight;
  const sender::state flying[] = {sender::state::in_flight};
  store_->for_each(flying, static_cast<std::size_t>(-1),
                   [&](const sender::notification& n) { in_flight.push_back(n.sequence); });
  engine_.reset();  // its callbacks still in the transport are ignored from here on
  if (in_memory_) {
    store_->release(in_flight);
  } else {
    store_.reset();
    store_ = open_store_();
  }
  start_engine();
  return {name, true, std::to_string(in_flight.size()) + " in flight, sent again", "a restart", ""};
}

void session::feed_next() {
  if (finished_ || stopping_) return;
  // Every change due at this instant goes in one accept: a burst is one transaction.
  const duration at = feed_[fed_].at;
  const time_point now = sched_.clock().now();
  std::vector<sender::record_change> changes;
  while (fed_ < feed_.size() && feed_[fed_].at <= at) {
    const auto& c = feed_[fed_++];
    changes.push_back(pools_.at(c.object).change(c.kind, workload_rng_, now));
    if (c.kind != sender::change_kind::remove) changed_[c.object].insert(changes.back().record_id);
  }
  engine_->accept(std::move(changes));
  if (fed_ < feed_.size()) {
    sched_.at(start_ + feed_[fed_].at, [this] { feed_next(); });
  } else {
    // The workload's window still runs to its end even when its last change came earlier.
    sched_.at(std::max(now, start_ + s_.length), [this] {
      feed_done_ = true;
      check_done();
    });
  }
}

void session::sample() {
  if (finished_) return;
  const auto c = store_->counts();
  metrics_.sample(sched_.clock().now(), c[sender::state::queued] + c[sender::state::retrying],
                  c[sender::state::in_flight], c[sender::state::retrying]);
  sched_.at(sched_.clock().now() + sample_every_, [this] { sample(); });
}

void session::snapshot(duration at) {
  if (snapshots_taken_ >= snapshot_times_.size() || snapshot_times_[snapshots_taken_] != at) return;
  ++snapshots_taken_;
  measured_.snapshots.push_back({at, "", store_->counts()});
  for (const auto& d : s_.definitions)
    measured_.snapshots.push_back(
        {at, d.definition.full_name, store_->counts(d.definition.full_name)});
}

// The oldest notification in the action's state (of its definition), as the status page lists
// them; nullopt when there is none.
std::optional<std::string> session::pick(const user_action& a) const {
  if (!a.notification.empty()) return a.notification;
  const sender::state wanted[] = {*sender::state_from_string(a.state)};
  std::optional<std::string> found;
  store_->for_each(wanted, static_cast<std::size_t>(-1), [&](const sender::notification& n) {
    if (!found && (a.definition.empty() || n.definition == a.definition)) found = n.id;
  });
  return found;
}

// A status page button pressed: its effect is measured (a deleted notification is settled) and
// it becomes a check, so an action that found nothing to do fails the run instead of passing
// unnoticed.
void session::act(const user_action& a) {
  if (finished_) return;
  const std::string name =
      "actions." + std::to_string(actions_done_) + "." + std::string(to_string(a.what));
  reports::check_result r{name, false, "", "", ""};
  if (a.what == user_action::kind::crash) {
    r = crash(name);
  } else if (a.what == user_action::kind::retry_failed) {
    const std::size_t n = engine_->retry_failed();
    r = {name, n > 0, std::to_string(n) + " retried", ">= 1 retried",
         n > 0 ? "" : "the failed list was empty at " + format_duration(a.at)};
  } else if (auto id = pick(a)) {
    const auto before = store_->find(*id);
    const auto done =
        a.what == user_action::kind::retry ? engine_->retry_now(*id) : engine_->remove(*id);
    const bool ok = done == sender::operation_result::done;
    if (ok && a.what == user_action::kind::remove && before) {
      metrics_.deleted(sched_.clock().now(), before->created,
                       static_cast<std::uint32_t>(before->attempts));
      for (auto* d : scopes(before->definition)) ++d->deleted;
    }
    r = {name, ok,
         *id + (ok                                             ? " done"
                : done == sender::operation_result::unknown_id ? ": no such notification"
                                                               : ": not allowed in its state"),
         "done", ok ? "" : "the action did nothing"};
  } else {
    r = {name, false, "none " + a.state, "a notification to act on",
         "no notification was " + a.state + " at " + format_duration(a.at)};
  }
  action_results_.push_back(std::move(r));
  ++actions_done_;
  check_done();
}

void session::check_done() {
  if (finished_ || !engine_) return;
  const bool acted = actions_done_ == s_.actions.size();
  if ((stopping_ || (feed_done_ && acted)) && engine_->is_idle()) finish();
}

void session::finish() {
  finished_ = true;
  end_ = sched_.clock().now();
  const auto c = store_->counts();
  metrics_.sample(end_, c[sender::state::queued] + c[sender::state::retrying],
                  c[sender::state::in_flight], c[sender::state::retrying]);
  // Every accepted notification shows in the attempts histogram, settled or not.
  const sender::state pending[] = {sender::state::queued, sender::state::retrying,
                                   sender::state::in_flight};
  store_->for_each(pending, static_cast<std::size_t>(-1), [this](const sender::notification& n) {
    metrics_.pending(static_cast<std::uint32_t>(n.attempts));
  });
  // Nothing changes once settled: later "during" checks see the final state.
  while (snapshots_taken_ < snapshot_times_.size()) snapshot(snapshot_times_[snapshots_taken_]);
  if (on_finished_) on_finished_();
}

const measurements& session::measured() {
  measured_.total.final_status = store_->counts();
  for (const auto& d : s_.definitions) {
    auto& m = of(d.definition.full_name);
    m.final_status = store_->counts(d.definition.full_name);
  }
  // Notifications still pending count towards the attempts of the most-tried one.
  const sender::state pending[] = {sender::state::queued, sender::state::retrying,
                                   sender::state::in_flight};
  store_->for_each(pending, static_cast<std::size_t>(-1),
                   [this](const sender::notification& n) { settled(n); });
  measured_.drain_time.reset();
  if (drain_end_)
    measured_.drain_time = std::max(duration{}, *drain_end_ - (start_ + max_recovery()));
  measure_listeners();
  if (needs_record_data(s_.expectations)) measure_newest_values();
  return measured_;
}

// What the mocks' ledgers and fault counters say, in total, per endpoint and per definition.
void session::measure_listeners() {
  measured_.duplicates = 0;
  measured_.retries = 0;
  measured_.stale = 0;
  measured_.total.faults_injected.clear();
  for (std::size_t i = 0; i < mocks_.size(); ++i) {
    const auto& l = mocks_[i]->ledger();
    measured_.duplicates += l.duplicates();
    measured_.retries += l.retries();
    measured_.stale += l.stale();
    auto& e = measured_.by_endpoint[s_.endpoints[i].name];
    e.duplicates = l.duplicates();
    e.retries = l.retries();
    e.stale = l.stale();
    e.faults_injected.clear();
    for (std::size_t k = 0; k < mock_endpoint::fault_kind_count; ++k)
      if (const auto n = mocks_[i]->faults_injected()[k]) {
        const std::string kind(mock_endpoint::to_string(static_cast<mock_endpoint::fault_kind>(k)));
        e.faults_injected[kind] += n;
        measured_.total.faults_injected[kind] += n;
      }
  }
  measured_.total.duplicates = measured_.duplicates;
  measured_.total.retries = measured_.retries;
  measured_.total.stale = measured_.stale;
  // A definition's duplicates and retries: repeated deliveries of its own notifications, after
  // and before the listener acked them. Its stale count is
  // its endpoint's when it is the only definition there (the loader refuses it otherwise).
  std::map<std::size_t, std::size_t> served;
  for (const auto& [name, mock] : mock_of_definition_) ++served[mock];
  for (const auto& [name, mock] : mock_of_definition_) {
    auto& d = of(name);
    d.duplicates = 0;
    d.retries = 0;
    d.stale = served[mock] == 1 ? mocks_[mock]->ledger().stale() : 0;
  }
  std::span<const sender::state> every(sender::all_states);
  store_->for_each(every, static_cast<std::size_t>(-1), [this](const sender::notification& n) {
    const auto e = mocks_[mock_of_definition_.at(n.definition)]->ledger().find(n.id);
    if (!e || e->times_seen < 2) return;
    auto& d = of(n.definition);
    d.duplicates += e->duplicates;
    d.retries += e->times_seen - 1 - e->duplicates;
  });
}

// For every definition, each record changed in the run and alive at the end: the data its
// listener holds must be the record's current values, field by field.
void session::measure_newest_values() {
  for (auto& [name, d] : measured_.by_definition) d.records_checked = d.records_not_newest = 0;
  for (auto& [name, d] : measured_.by_endpoint) d.records_checked = d.records_not_newest = 0;
  measured_.total.records_checked = measured_.total.records_not_newest = 0;
  for (const auto& def : s_.definitions) {
    const auto& name = def.definition.full_name;
    const auto& l = mocks_[mock_of_definition_.at(name)]->ledger();
    for (const auto& id : changed_[def.definition.object]) {
      const auto record = store_->find_record(id);
      if (!record || record->deleted) continue;
      const auto* data = l.record_data(id);
      const bool newest = data && sender::fields_not_newest(*record, *data).empty();
      for (auto* d : scopes(name)) {
        ++d->records_checked;
        if (newest) continue;
        if (d->records_not_newest++ == 0) d->first_not_newest = id;
      }
    }
  }
}

}  // namespace outbound::scenarios
