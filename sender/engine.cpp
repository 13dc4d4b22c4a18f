// The delivery loop: take due batches while connections are free, send, judge, settle, wake up
// at the earliest next attempt. Every callback holds the engine weakly, so a destroyed engine
// ignores late completions and timers.
#include "sender/engine.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "common/input_error.hpp"
#include "sender/destination.hpp"
#include "sender/retry_after.hpp"
#include "sender/store_detail.hpp"
#include "soap/envelope.hpp"

namespace outbound::sender {
namespace {

struct served_definition {
  soap::definition def;
  destination to;
  std::size_t pool = 0;       // index into impl::pools
  std::string envelope_head;  // soap::write_envelope_head of the definition's header
};

// One SOAP message on its way.
struct flight {
  std::size_t definition = 0;
  std::vector<notification> items;
  attempt info;
};

std::string derived_session_id(const soap::definition& d) {
  // Shaped like a real session id ("<org id 15>!<token>"); listeners must not be able to use it.
  return d.organization_id.substr(0, 15) + "!AQ0AQOutboundHarnessSessionNotAValidToken";
}

}  // namespace

struct engine::impl : std::enable_shared_from_this<engine::impl> {
  store& s;
  scheduler& sched;
  transport& t;
  random& rng;
  engine_options opts;
  engine_observer obs;

  std::vector<served_definition> defs;
  std::vector<std::size_t> pools;  // messages in flight per pool
  std::unordered_map<std::string, std::size_t> pool_of_key;
  std::unordered_map<std::uint64_t, std::shared_ptr<flight>> flights;
  std::size_t round_robin = 0;
  std::uint64_t sent = 0;
  bool started = false, stopped = false, idle_reported = false;
  bool pump_posted = false, flush_soon_posted = false, flush_later_posted = false;
  bool poll_posted = false;
  std::size_t unflushed = 0;  // results handed to the store since its last flush
  std::optional<time_point> wake_at;
  std::vector<soap::field_view> fields;  // reused for each notification written
  std::size_t envelope_size_hint = 0;    // the largest body so far: one allocation per message

  impl(store& s_, scheduler& sc, transport& t_, random& r, engine_options o, engine_observer ob)
      : s(s_), sched(sc), t(t_), rng(r), opts(std::move(o)), obs(std::move(ob)) {}

  time_point now() const { return sched.clock().now(); }
  std::weak_ptr<impl> weak() { return weak_from_this(); }

  // Runs `work` on the scheduler if the engine still exists then.
  template <class F>
  void later(time_point when, F work) {
    sched.at(when, [w = weak(), work = std::move(work)]() mutable {
      if (auto self = w.lock()) work(*self);
    });
  }

  void load_definitions();
  void request_pump();
  void pump();
  void send_batch(std::size_t di, std::vector<outgoing> batch, time_point at);
  void finished(const std::shared_ptr<flight>& f, const attempt_result& r);
  void schedule_wake(time_point at);
  void schedule_flush(std::size_t results);
  void flush_store(bool wait) {
    unflushed = 0;
    if (wait)
      s.flush();
    else
      s.write_behind();
  }
  void schedule_poll();
  bool pending() const;
  bool idle() const { return flights.empty() && (stopped || !pending()); }
  void check_idle();
  void woke() {
    idle_reported = false;
    request_pump();
  }
};

void engine::impl::load_definitions() {
  std::vector<served_definition> loaded;
  for (auto& d : s.definitions()) {
    served_definition sd;
    sd.to = opts.endpoint_for
                ? opts.endpoint_for(d)
                : parse_destination(d.endpoint_url, "definition " + d.full_name, "endpointUrl");
    auto key = pool_key(sd.to);
    auto [it, added] = pool_of_key.emplace(key, pools.size());
    if (added) pools.push_back(0);
    sd.pool = it->second;
    std::optional<std::string> session;
    if (d.include_session_id)
      session = opts.session_id.empty() ? derived_session_id(d) : opts.session_id;
    soap::check_names(d);  // once here, not per notification (send_batch)
    sd.envelope_head = soap::write_envelope_head(
        soap::make_header(d.organization_id, d.action_id, d.api_version, session));
    sd.def = std::move(d);
    loaded.push_back(std::move(sd));
  }
  // Flights refer to definitions by index: keep the order (the store keeps insertion order).
  defs = std::move(loaded);
}

void engine::impl::request_pump() {
  if (!started || pump_posted) return;
  pump_posted = true;
  later(now(), [](impl& self) {
    self.pump_posted = false;
    self.pump();
  });
}

void engine::impl::pump() {
  if (stopped || defs.empty()) return check_idle();
  const time_point at = now();
  bool progress = true;
  while (progress) {
    progress = false;
    for (std::size_t k = 0; k < defs.size(); ++k) {
      std::size_t i = (round_robin + k) % defs.size();
      if (pools[defs[i].pool] >= opts.connections) continue;
      auto batch = s.take_due(defs[i].def.full_name, at, opts.batch);
      if (batch.empty()) continue;
      send_batch(i, std::move(batch), at);
      progress = true;
    }
    round_robin = (round_robin + 1) % defs.size();
  }
  std::optional<time_point> earliest;
  for (const auto& d : defs) {
    if (pools[d.pool] >= opts.connections) continue;  // a completion will pump
    auto next = s.next_due(d.def.full_name);
    if (next && (!earliest || *next < *earliest)) earliest = next;
  }
  if (earliest) schedule_wake(std::max(*earliest, at));
  if (opts.poll_interval > duration::zero()) schedule_poll();
  check_idle();
}

void engine::impl::send_batch(std::size_t di, std::vector<outgoing> batch, time_point at) {
  const auto& d = defs[di];
  auto f = std::make_shared<flight>();
  f->definition = di;
  f->items.reserve(batch.size());
  std::string body;
  body.reserve(envelope_size_hint);
  soap::envelope_writer w(body, d.envelope_head);
  for (auto& o : batch) {
    detail::field_views(d.def, o.data.get(), fields);
    w.add(o.item.id, d.def.object, o.item.record_id, fields, soap::envelope_writer::names::checked);
    f->items.push_back(std::move(o.item));
  }
  w.finish();
  envelope_size_hint = std::max(envelope_size_hint, body.size());
  f->info.message_id = ++sent;
  f->info.sent_at = at;
  f->info.bytes = body.size();
  f->info.notifications = f->items;                // not resized from here on
  if (obs.attempt_sent || obs.attempt_finished) {  // copies only for someone who looks
    f->info.definition = d.def.full_name;
    f->info.to = d.to;
  }
  ++pools[d.pool];
  flights.emplace(f->info.message_id, f);
  if (obs.attempt_sent) obs.attempt_sent(f->info);
  t.send(d.to, std::move(body), opts.request_timeout, [w = weak(), f](attempt_result r) {
    if (auto self = w.lock()) self->finished(f, r);
  });
}

void engine::impl::finished(const std::shared_ptr<flight>& f, const attempt_result& r) {
  if (!flights.erase(f->info.message_id)) return;  // called twice: ignore
  const time_point at = now();
  const auto& d = defs[f->definition];
  --pools[d.pool];
  const verdict v = judge(r);
  if (obs.attempt_finished) obs.attempt_finished(f->info, v, r.elapsed);
  std::vector<settlement> settlements;
  settlements.reserve(f->items.size());
  // One jitter draw per message, so that a failed batch comes due again as one batch.
  // (Only a failure needs one: a generator's state is 2.5 KB to set up.)
  std::optional<random> message_rng;
  if (!v.delivered) message_rng = rng.fork();
  std::optional<duration> retry_after;
  if (!v.delivered && opts.policy.honor_retry_after && r.error == transport_error::none)
    retry_after = parse_retry_after(r.response.retry_after, at);
  for (auto& n : f->items) {
    settlement o{n.sequence, state::delivered, {}};
    if (!v.delivered) {
      random draw = *message_rng;
      auto next = opts.policy.next_attempt(n.attempts + 1, n.created, at, draw, retry_after);
      if (next)
        o = {n.sequence, state::retrying, *next};
      else
        o.to = d.def.use_dead_letter_queue ? state::failed : state::dropped;
    }
    settlements.push_back(o);
    ++n.attempts;
    n.last_attempt = at;
    n.status = o.to;
    if (v.delivered)
      n.delivered_at = at;
    else
      n.last_error = v.reason;
    if (o.to == state::retrying) n.next_attempt = o.next_attempt;
  }
  s.record_attempt(settlements, at, v.reason);
  schedule_flush(settlements.size());
  for (const auto& n : f->items) {
    const auto& cb = n.status == state::delivered  ? obs.delivered
                     : n.status == state::retrying ? obs.retrying
                     : n.status == state::failed   ? obs.failed
                                                   : obs.dropped;
    if (cb) cb(n);
  }
  pump();
}

void engine::impl::schedule_wake(time_point at) {
  if (wake_at && *wake_at <= at) return;
  wake_at = at;
  later(at, [at](impl& self) {
    if (self.wake_at == at) self.wake_at.reset();
    self.pump();
  });
}

// Results share one transaction: a hundred of them (one full message) are handed to the store's
// writer after this turn; fewer wait up to 5 ms for more, since a transaction per
// one-notification message would cost more than sending it. Results not yet written are only
// attempts to repeat after a crash.
void engine::impl::schedule_flush(std::size_t results) {
  constexpr std::size_t enough = soap::max_notifications;
  constexpr auto wait = std::chrono::milliseconds(5);
  unflushed += results;
  if (unflushed >= enough && !flush_soon_posted) {
    flush_soon_posted = true;
    later(now(), [](impl& self) {
      self.flush_soon_posted = false;
      self.flush_store(false);
    });
  } else if (!flush_later_posted) {
    flush_later_posted = true;
    later(now() + wait, [](impl& self) {
      self.flush_later_posted = false;
      self.flush_store(false);
    });
  }
}

void engine::impl::schedule_poll() {
  if (poll_posted || idle()) return;
  poll_posted = true;
  later(now() + opts.poll_interval, [](impl& self) {
    self.poll_posted = false;
    self.pump();
  });
}

bool engine::impl::pending() const {
  for (const auto& d : defs)
    if (s.next_due(d.def.full_name)) return true;
  return false;
}

void engine::impl::check_idle() {
  if (!started || idle_reported || !idle()) return;
  idle_reported = true;
  flush_store(true);
  if (obs.idle) obs.idle();
}

void check_engine_options(const engine_options& options) {
  if (options.batch < 1 || options.batch > soap::max_notifications)
    throw input_error("--batch", "batch", "from 1 to 100 notifications per message");
  if (options.connections < 1)
    throw input_error("--connections", "connections", "at least 1 connection per endpoint");
  if (options.request_timeout <= duration::zero())
    throw input_error("--timeout", "timeout", "a positive request timeout");
}

engine::engine(store& s, scheduler& sched, transport& t, random& rng, engine_options options,
               engine_observer observer) {
  check_engine_options(options);
  impl_ = std::make_shared<impl>(s, sched, t, rng, std::move(options), std::move(observer));
}

engine::~engine() {
  // Attempts that never finish here are sent again by whoever runs this store next.
  std::vector<std::uint64_t> open;
  for (const auto& [id, f] : impl_->flights)
    for (const auto& n : f->items) open.push_back(n.sequence);
  impl_->s.release(open);
  impl_->s.flush();
}

void engine::start() {
  impl_->load_definitions();
  impl_->started = true;
  impl_->woke();
}

void engine::put_definition(const soap::definition& d) {
  impl_->s.put_definition(d);
  impl_->load_definitions();
  impl_->woke();
}

accept_result engine::accept(std::vector<record_change> changes) {
  auto r = impl_->s.accept(std::move(changes), impl_->now());
  if (impl_->obs.accepted)
    for (const auto& n : r.notifications) impl_->obs.accepted(n);
  if (!r.notifications.empty()) impl_->woke();
  return r;
}

void engine::wake() {
  impl_->woke();
}

void engine::stop() {
  impl_->stopped = true;
  impl_->check_idle();
}

operation_result engine::retry_now(std::string_view notification_id) {
  auto r = impl_->s.retry_now(notification_id, impl_->now());
  if (r == operation_result::done) impl_->woke();
  return r;
}

std::size_t engine::retry_failed() {
  auto n = impl_->s.retry_failed(impl_->now());
  if (n) impl_->woke();
  return n;
}

operation_result engine::remove(std::string_view notification_id) {
  auto r = impl_->s.remove(notification_id);
  if (r == operation_result::done) impl_->check_idle();
  return r;
}

bool engine::is_idle() const {
  return impl_->idle();
}
std::size_t engine::messages_in_flight() const {
  return impl_->flights.size();
}
std::uint64_t engine::messages_sent() const {
  return impl_->sent;
}

}  // namespace outbound::sender
