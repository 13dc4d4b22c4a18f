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

arrival_plan plan_of(const load_options& options) {
  return options.stages.empty() ? arrival_plan(options.rate, options.length)
                                : arrival_plan(options.stages);
}

std::vector<load_definition> mix_of(const load_options& options) {
  if (!options.definitions.empty()) return options.definitions;
  return {{options.definition, 1, batch_sizes::fixed(options.batch)}};
}

load_generator::load_generator(scheduler& sched, sender::transport& transport, load_options options)
    : sched_(sched),
      transport_(transport),
      options_(std::move(options)),
      plan_(plan_of(options_)),
      mix_(mix_of(options_)),
      rng_(field_seed(options_.seed, options_.shard)),
      run_block_(run_block_for_seed(options_.seed)) {
  for (const auto& d : mix_) {
    const auto& b = d.batch;
    const bool in_range = b.choices.empty()
                              ? b.min >= 1 && b.min <= b.max && b.max <= soap::max_notifications
                              : std::all_of(b.choices.begin(), b.choices.end(), [](auto& c) {
                                  return c.first >= 1 && c.first <= soap::max_notifications;
                                });
    if (!in_range) throw std::invalid_argument("load_generator: batch must be 1..100");
    soap::check_names(d.definition);  // once here, not per notification (write)
    envelope_heads_.push_back(soap::write_envelope_head(soap::make_header(
        d.definition.organization_id, d.definition.action_id, d.definition.api_version)));
    samplers_.emplace_back(d.definition);
  }
  if (options_.connections < 1)
    throw std::invalid_argument("load_generator: at least one connection");
  result_.scheduled = plan_.message_count(options_.shard);
  result_.first_sequence = notification_sequence(options_.shard, 0, run_block_);
}

void load_generator::start(std::function<void()> done) {
  start(sched_.clock().now(), std::move(done));
}

void load_generator::start(time_point start, std::function<void()> done) {
  done_ = std::move(done);
  result_.start = start;
  result_.end = start;
  result_.metrics = reports::run_metrics(start, plan_.length());
  result_.series = reports::load_series(start, plan_.length());
  if (result_.scheduled == 0) {
    sched_.at(start, [this] { done_(); });
    return;
  }
  tick_pending_ = true;
  sched_.at(start, [this] { tick(); });
}

std::string load_generator::write(message_choice c) {
  const auto& d = mix_[c.definition].definition;
  std::string body;
  // Room for `batch` notifications the size of the largest written so far: one allocation.
  body.reserve(envelope_heads_[c.definition].size() + notification_size_hint_ * c.batch + 64);
  soap::envelope_writer w(body, envelope_heads_[c.definition]);
  const auto record_prefix = soap::key_prefix_for(d.object);
  soap::id_buffer id, record_id;
  for (std::size_t j = 0; j < c.batch; ++j) {
    const std::uint64_t seq =
        notification_sequence(options_.shard, next_notification_++, run_block_);
    // One record per notification, so a listener's per-record logic sees no stale updates.
    w.add(soap::make_id(id, soap::key_prefix::notification, seq), d.object,
          soap::make_id(record_id, record_prefix, seq), samplers_[c.definition](rng_),
          soap::envelope_writer::names::checked);
  }
  w.finish();
  notification_size_hint_ = std::max(
      notification_size_hint_, (body.size() - envelope_heads_[c.definition].size()) / c.batch);
  return body;
}

time_point load_generator::due(std::uint64_t i) const {
  return result_.start + plan_.offset(test_message_index(options_.shard, i));
}

void load_generator::tick() {
  tick_pending_ = false;
  const time_point now = sched_.clock().now();
  for (time_point t; next_due_ < result_.scheduled && (t = due(next_due_)) <= now; ++next_due_)
    result_.series.due(t);
  result_.max_backlog = std::max(result_.max_backlog, backlog());
  send_backlog();
  sample(now);
  if (next_due_ < result_.scheduled) {
    tick_pending_ = true;
    sched_.at(std::max(due(next_due_), now + pacing_quantum), [this] { tick(); });
  }
}

// Messages waiting and in flight (the scenario report's queue gauges; the load report does not
// chart them).
void load_generator::sample(time_point now) {
  result_.metrics.sample(now, backlog(), in_flight(), 0);
}

void load_generator::send_backlog() {
  while (result_.sent < next_due_ && in_flight() < options_.connections) send(result_.sent);
}

void load_generator::send(std::uint64_t i) {
  const message_choice choice = choice_of(i);  // once: the answer needs its definition too
  const auto definition = choice.definition;
  std::string body = write(choice);
  const auto count = static_cast<std::uint32_t>(choice.batch);
  const time_point now = sched_.clock().now();
  result_.metrics.accepted(due(i), count);
  result_.metrics.attempt_sent(now, count);
  result_.notifications += count;
  ++result_.sent;
  transport_.send(options_.endpoint, std::move(body), options_.timeout,
                  [this, i, definition, count, now](sender::attempt_result r) {
                    answered(i, definition, count, now, std::move(r));
                  });
}

void load_generator::answered(std::uint64_t i, std::size_t definition, std::uint32_t count,
                              time_point sent_at, sender::attempt_result r) {
  const time_point now = sched_.clock().now();
  const time_point intended = due(i);
  const sender::verdict v = sender::judge(r);
  // Both arms views: `"" : v.failure_class` would make a temporary string, gone by the next line.
  const std::string_view failure_class =
      v.delivered ? std::string_view() : std::string_view(v.failure_class);
  result_.metrics.attempt_finished(now, count, failure_class, now - intended);
  for (std::uint32_t k = 0; k < count; ++k) {
    if (v.delivered)
      result_.metrics.delivered(now, intended, 1);
    else
      result_.metrics.failed(now, intended, 1);
  }
  // A refused or unreachable connection has no service time: counted as an error, not as a
  // fast answer (its near-zero time would pull the percentiles down).
  if (reports::reached_listener(failure_class)) result_.metrics.record_service_time(now - sent_at);
  result_.series.answered(mix_[definition].definition.full_name, intended, sent_at, now,
                          failure_class);
  ++result_.answered;
  result_.end = std::max(result_.end, now);
  send_backlog();
  sample(now);
  if (finished() && !tick_pending_) done_();
}

}  // namespace outbound::modes
