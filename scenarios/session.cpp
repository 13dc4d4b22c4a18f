#include "scenarios/session.hpp"

#include <algorithm>

#include "sender/retry_policy.hpp"
#include "sender/status.hpp"

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

session::session(const scenario& s, std::uint64_t seed, scheduler& sched)
    : s_(s),
      seed_(seed),
      sched_(sched),
      start_(sched.clock().now()),
      rng_(seed),
      workload_rng_(rng_.fork()),
      sender_rng_(rng_.fork()),
      metrics_(start_, expected_length(s)) {
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    mock_endpoint::endpoint_options options;
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
    mocks_.push_back(std::make_unique<mock_endpoint::endpoint>(s.endpoints[i].faults, rng_.next(),
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

duration session::max_recovery() const {
  duration r{};
  for (const auto& e : s_.endpoints) r = std::max(r, e.recovery);
  return r;
}

void session::settled(const sender::notification& n) {
  for (auto* d : {&measured_.total, &of(n.definition)})
    d->max_attempts =
        std::max<std::uint64_t>(d->max_attempts, static_cast<std::uint64_t>(n.attempts));
}

sender::engine_observer session::observer() {
  sender::engine_observer o;
  o.accepted = [this](const sender::notification& n) {
    ++measured_.total.accepted;
    ++of(n.definition).accepted;
    metrics_.accepted(n.created);
  };
  o.attempt_sent = [this](const sender::attempt& a) {
    std::uint32_t retried = 0;
    for (const auto& id : a.notification_ids)
      if (auto n = store_.find(id); n && n->attempts > 0) ++retried;
    metrics_.attempt_sent(a.sent_at, static_cast<std::uint32_t>(a.notification_ids.size()),
                          retried);
  };
  o.attempt_finished = [this](const sender::attempt& a, const sender::verdict& v,
                              duration elapsed) {
    metrics_.attempt_finished(sched_.clock().now(),
                              static_cast<std::uint32_t>(a.notification_ids.size()),
                              v.failure_class, elapsed);
    for (auto* d : {&measured_.total, &of(a.definition)}) {
      ++d->messages;
      d->per_attempt.record(elapsed);
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
    for (auto* d : {&measured_.total, &of(n.definition)}) {
      ++d->delivered;
      d->end_to_end.record(at - n.created);
      d->worst_drain = std::max(d->worst_drain.value_or(duration{}), at - healthy);
      if (!seen) ++d->not_in_ledger;
    }
    settled(n);
  };
  o.failed = [this](const sender::notification& n) {
    metrics_.failed(sched_.clock().now(), n.created, static_cast<std::uint32_t>(n.attempts));
    ++measured_.total.failed;
    ++of(n.definition).failed;
    settled(n);
  };
  o.dropped = [this](const sender::notification& n) {
    metrics_.dropped(sched_.clock().now(), n.created, static_cast<std::uint32_t>(n.attempts));
    ++measured_.total.dropped;
    ++of(n.definition).dropped;
    settled(n);
  };
  o.idle = [this] { check_done(); };
  return o;
}

void session::start(sender::transport& t, const std::vector<std::string>& urls) {
  // Initial records exist before any definition, so creating them fires no rule.
  for (const auto& d : s_.definitions) {
    auto [it, added] =
        pools_.try_emplace(d.definition.object, d.definition.object, d.definition.fields);
    auto changes = it->second.initial(d.work.records, workload_rng_, start_);
    if (!changes.empty()) store_.accept(changes, start_);
  }
  for (std::size_t i = 0; i < s_.definitions.size(); ++i) {
    const auto& d = s_.definitions[i];
    soap::definition def = d.definition;
    def.endpoint_url = urls.at(mock_of_definition_.at(def.full_name));
    store_.put_definition(def);
    for (const auto& a : schedule_arrivals(d.work, s_.start, workload_rng_))
      feed_.push_back({a.at, a.kind, def.object});
  }
  std::stable_sort(feed_.begin(), feed_.end(),
                   [](const timed_change& a, const timed_change& b) { return a.at < b.at; });

  sender::engine_options options;
  options.batch = s_.delivery.batch_size;
  options.connections = s_.delivery.connections;
  options.request_timeout = s_.delivery.timeout;
  options.policy =
      sender::retry_policy_from_json(s_.delivery.retry, s_.file.string(), "/delivery/retry");
  engine_ = std::make_unique<sender::engine>(store_, sched_, t, sender_rng_, options, observer());
  engine_->start();

  for (duration at : snapshot_times_) sched_.at(start_ + at, [this, at] { snapshot(at); });
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

void session::feed_next() {
  if (finished_ || stopping_) return;
  // Every change due at this instant goes in one accept: a burst is one transaction.
  const duration at = feed_[fed_].at;
  const time_point now = sched_.clock().now();
  std::vector<sender::record_change> changes;
  while (fed_ < feed_.size() && feed_[fed_].at <= at) {
    const auto& c = feed_[fed_++];
    changes.push_back(pools_.at(c.object).change(c.kind, workload_rng_, now));
  }
  engine_->accept(changes);
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
  const auto c = store_.counts();
  metrics_.sample(sched_.clock().now(), c[sender::state::queued] + c[sender::state::retrying],
                  c[sender::state::in_flight], c[sender::state::retrying]);
  sched_.at(sched_.clock().now() + sample_every_, [this] { sample(); });
}

void session::snapshot(duration at) {
  if (snapshots_taken_ >= snapshot_times_.size() || snapshot_times_[snapshots_taken_] != at) return;
  ++snapshots_taken_;
  measured_.snapshots.push_back({at, "", store_.counts()});
  for (const auto& d : s_.definitions)
    measured_.snapshots.push_back(
        {at, d.definition.full_name, store_.counts(d.definition.full_name)});
}

void session::check_done() {
  if (finished_ || !engine_) return;
  if ((feed_done_ || stopping_) && engine_->is_idle()) finish();
}

void session::finish() {
  finished_ = true;
  end_ = sched_.clock().now();
  const auto c = store_.counts();
  metrics_.sample(end_, c[sender::state::queued] + c[sender::state::retrying],
                  c[sender::state::in_flight], c[sender::state::retrying]);
  // Every accepted notification shows in the attempts histogram, settled or not.
  const sender::state pending[] = {sender::state::queued, sender::state::retrying,
                                   sender::state::in_flight};
  store_.for_each(pending, static_cast<std::size_t>(-1), [this](const sender::notification& n) {
    metrics_.pending(static_cast<std::uint32_t>(n.attempts));
  });
  // Nothing changes once settled: later "during" checks see the final state.
  while (snapshots_taken_ < snapshot_times_.size()) snapshot(snapshot_times_[snapshots_taken_]);
  if (on_finished_) on_finished_();
}

const measurements& session::measured() {
  measured_.total.final_status = store_.counts();
  for (const auto& d : s_.definitions) {
    auto& m = of(d.definition.full_name);
    m.final_status = store_.counts(d.definition.full_name);
  }
  // Notifications still pending count towards the attempts of the most-tried one.
  const sender::state pending[] = {sender::state::queued, sender::state::retrying,
                                   sender::state::in_flight};
  store_.for_each(pending, static_cast<std::size_t>(-1),
                  [this](const sender::notification& n) { settled(n); });
  measured_.duplicates = 0;
  measured_.stale = 0;
  for (const auto& m : mocks_) {
    measured_.duplicates += m->ledger().duplicates();
    measured_.stale += m->ledger().stale();
  }
  return measured_;
}

}  // namespace outbound::scenarios
