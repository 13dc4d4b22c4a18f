#pragma once
// Open-loop load against one endpoint: message i is due at its intended start (start + i/rate, or
// from a profile's stages: arrival_plan) whatever happened to the ones before it, at most
// `connections` are in flight, and a due message that finds them all busy waits in a backlog.
// Latency runs from each message's intended start, so a stalling endpoint cannot hide its slowness
// by slowing the sender down (no coordinated omission).
//   load_generator g(sched, transport, options);
//   g.start([&] { report = load_report(g.result(), options); });  // then run the scheduler

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "common/scheduler.hpp"
#include "modes/load_mix.hpp"
#include "modes/load_schedule.hpp"
#include "reports/histogram.hpp"
#include "reports/load_series.hpp"
#include "reports/metrics.hpp"
#include "sender/transport.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/sample_data.hpp"

namespace outbound::modes {

struct load_options {
  sender::destination endpoint;
  soap::definition definition;
  modes::rate rate{1};  // messages per second
  duration length{std::chrono::seconds(10)};
  std::size_t batch = 1;         // notifications per message, 1..100
  std::size_t connections = 10;  // messages in flight at most
  duration timeout{std::chrono::seconds(60)};
  // A profile's stages (load_profile.hpp) replace `rate` and `length` when not empty.
  std::vector<load_stage> stages;
  // A profile's weighted definitions, each with its batch sizes, replace `definition` and
  // `batch` when not empty.
  std::vector<load_definition> definitions;
  std::string profile;  // the profile file, for the report; empty without one
  modes::shard shard;   // this process sends shard K's 1/N of `rate` (load_schedule.hpp)
  std::uint64_t seed = 1;
  // For the report only: the common start the shards were given, and the machine that ran this.
  std::optional<time_point> start_at;
  std::string host;
};

// The arrival schedule and the mix the options describe, with or without a profile.
arrival_plan plan_of(const load_options& options);
std::vector<load_definition> mix_of(const load_options& options);

struct load_result {
  time_point start{};             // message 0's intended start
  time_point end{};               // the last answer (start until then)
  std::uint64_t scheduled = 0;    // messages due in the run: rate x length, this shard's share
  std::uint64_t sent = 0;         // handed to the transport; <= scheduled
  std::uint64_t answered = 0;     // completed, acked or failed; <= sent
  std::uint64_t max_backlog = 0;  // most due messages ever waiting for a free connection
  // Per message: acked or failed by class, response_time() = answer - intended start and
  // service_time() = answer - actual send (what a closed-loop tool would have reported); per
  // notification: delivery_latency() = answer - intended start of the acked ones.
  reports::run_metrics metrics;
  // Requested and answered per interval, latency and service time percentiles per interval,
  // errors per class per interval, statistics per definition.
  reports::load_series series;
  std::uint64_t notifications = 0;   // carried by the messages sent
  std::uint64_t first_sequence = 0;  // notification_sequence of the run's first notification

  // Answered messages per second over the run's length or until the last answer, if later.
  double achieved_rate(duration length) const;
};

class load_generator {
 public:
  // Throws std::invalid_argument for a batch outside 1..100, no connections, a stage of length 0
  // or a negative rate.
  load_generator(scheduler& sched, sender::transport& transport, load_options options);
  load_generator(const load_generator&) = delete;
  load_generator& operator=(const load_generator&) = delete;

  // Starts at the scheduler's now (or `start` if given); `done` runs once, after the last answer.
  void start(std::function<void()> done);
  void start(time_point start, std::function<void()> done);

  const load_result& result() const { return result_; }
  bool finished() const { return result_.answered == result_.scheduled; }
  std::uint64_t backlog() const { return next_due_ - result_.sent; }  // due, not yet sent
  std::uint64_t in_flight() const { return result_.sent - result_.answered; }

  // The envelope of the shard's next message (message i, 0-based, in index order): its
  // definition and batch size as choose() picks them for the test's message, ids from the shard's
  // sequence, seeded field values (each shard draws its own). Exposed for tests.
  std::string envelope_of(std::uint64_t i) { return write(choice_of(i)); }

 private:
  message_choice choice_of(std::uint64_t i) const {
    return choose(mix_, options_.seed, test_message_index(options_.shard, i));
  }
  // The envelope of choice `c`, with this shard's next ids, written without a soap::message.
  std::string write(message_choice c);
  time_point due(std::uint64_t i) const;  // message i's intended start
  void tick();
  void send_backlog();
  // The shortest wait between two ticks: past 20,000 messages a second, messages go out in
  // groups this far apart (each one's latency still counts from its own due time), since
  // arming the timer for each one (timerfd_settime) took 7% of the generator's time at 90,000/s.
  static constexpr duration pacing_quantum = std::chrono::microseconds(50);
  void sample(time_point now);
  void send(std::uint64_t i);
  void answered(std::uint64_t i, std::size_t definition, std::uint32_t count, time_point sent_at,
                sender::attempt_result r);

  scheduler& sched_;
  sender::transport& transport_;
  load_options options_;
  arrival_plan plan_;
  std::vector<load_definition> mix_;
  random rng_;
  std::uint64_t run_block_;
  std::vector<std::string> envelope_heads_;     // one per definition of the mix
  std::vector<soap::fields_sampler> samplers_;  // likewise: each field's kind worked out once
  std::size_t notification_size_hint_ = 1024;   // bytes, for the next envelope's reservation
  std::function<void()> done_;
  load_result result_;
  std::uint64_t next_due_ = 0;           // messages [sent, next_due) are due and waiting
  std::uint64_t next_notification_ = 0;  // the shard's notifications built so far
  bool tick_pending_ = false;
};

}  // namespace outbound::modes
