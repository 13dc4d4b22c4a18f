#include "modes/load_generator.hpp"

#include <algorithm>
#include <stdexcept>

#include "sender/verdict.hpp"
#include "soap/ids.hpp"
#include "soap/sample_data.hpp"

namespace outbound::modes {
namespace {

// The seed of a shard's field values: shard 1 (and a run without shards) uses the run's seed as
// is; the others mix their index in, so that shards do not send the same values in lockstep.
std::uint64_t field_seed(std::uint64_t seed, shard s) {
  if (s.index == 1) return seed;
  std::uint64_t z = seed ^ (s.index * 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  return z ^ (z >> 27);
}

}  // namespace

double load_result::achieved_rate(duration length) const {
  const duration span = std::max(length, end - start);
  if (span.count() <= 0) return 0;
  return static_cast<double>(answered) * 1e6 / static_cast<double>(span.count());
}

load_generator::load_generator(scheduler& sched, sender::transport& transport, load_options options)
    : sched_(sched),
      transport_(transport),
      options_(std::move(options)),
      rng_(field_seed(options_.seed, options_.shard)),
      run_block_(run_block_for_seed(options_.seed)) {
  if (options_.batch < 1 || options_.batch > soap::max_notifications)
    throw std::invalid_argument("load_generator: batch must be 1..100");
  if (options_.connections < 1)
    throw std::invalid_argument("load_generator: at least one connection");
  const auto& d = options_.definition;
  header_ = soap::make_header(d.organization_id, d.action_id, d.api_version);
  result_.scheduled = message_count(options_.rate, options_.length, options_.shard);
  result_.first_sequence = notification_sequence(options_.shard, 0, run_block_);
}

void load_generator::start(std::function<void()> done) {
  start(sched_.clock().now(), std::move(done));
}

void load_generator::start(time_point start, std::function<void()> done) {
  done_ = std::move(done);
  result_.start = start;
  result_.end = start;
  result_.metrics = reports::run_metrics(start, options_.length);
  if (result_.scheduled == 0) {
    sched_.at(start, [this] { done_(); });
    return;
  }
  tick_pending_ = true;
  sched_.at(start, [this] { tick(); });
}

soap::message load_generator::build_message(std::uint64_t i) {
  soap::message m;
  m.header = header_;
  m.notifications.reserve(options_.batch);
  const auto& d = options_.definition;
  for (std::size_t j = 0; j < options_.batch; ++j) {
    const std::uint64_t seq =
        notification_sequence(options_.shard, i * options_.batch + j, run_block_);
    soap::notification n;
    n.id = soap::make_id(soap::key_prefix::notification, seq);
    n.object.type = d.object;
    // One record per notification, so a listener's per-record logic sees no stale updates.
    n.object.id = soap::make_id(soap::key_prefix_for(d.object), seq);
    n.object.fields = soap::sample_fields(d, rng_);
    m.notifications.push_back(std::move(n));
  }
  return m;
}

time_point load_generator::due(std::uint64_t i) const {
  return due_time(result_.start, test_message_index(options_.shard, i), options_.rate);
}

void load_generator::tick() {
  tick_pending_ = false;
  const time_point now = sched_.clock().now();
  while (next_due_ < result_.scheduled && due(next_due_) <= now) ++next_due_;
  result_.max_backlog = std::max(result_.max_backlog, backlog());
  send_backlog();
  sample(now);
  if (next_due_ < result_.scheduled) {
    tick_pending_ = true;
    sched_.at(due(next_due_), [this] { tick(); });
  }
}

// The report's queue chart counts notifications, like its throughput chart.
void load_generator::sample(time_point now) {
  result_.metrics.sample(now, backlog() * options_.batch, in_flight() * options_.batch, 0);
}

void load_generator::send_backlog() {
  while (result_.sent < next_due_ && in_flight() < options_.connections) send(result_.sent);
}

void load_generator::send(std::uint64_t i) {
  std::string body;
  body.reserve(1024 * options_.batch);
  soap::write_envelope(build_message(i), body);
  const time_point now = sched_.clock().now();
  const auto count = static_cast<std::uint32_t>(options_.batch);
  result_.metrics.accepted(due(i), count);
  result_.metrics.attempt_sent(now, count);
  ++result_.sent;
  transport_.send(options_.endpoint, std::move(body), options_.timeout,
                  [this, i, now](sender::attempt_result r) { answered(i, now, std::move(r)); });
}

void load_generator::answered(std::uint64_t i, time_point sent_at, sender::attempt_result r) {
  const time_point now = sched_.clock().now();
  const time_point intended = due(i);
  const sender::verdict v = sender::judge(r);
  const auto count = static_cast<std::uint32_t>(options_.batch);
  result_.metrics.attempt_finished(now, count, v.delivered ? "" : v.failure_class, now - intended);
  for (std::uint32_t k = 0; k < count; ++k) {
    if (v.delivered)
      result_.metrics.delivered(now, intended, 1);
    else
      result_.metrics.failed(now, intended, 1);
  }
  result_.metrics.record_service_time(now - sent_at);
  ++result_.answered;
  result_.end = std::max(result_.end, now);
  send_backlog();
  sample(now);
  if (finished() && !tick_pending_) done_();
}

}  // namespace outbound::modes
