#pragma once
// What a run measured: counters, latency/attempt histograms and per-interval time series, fed by
// event calls from the sender, the runner or the load generator (times passed in, no clock reads).
// Not thread-safe: use one per thread and merge(). Cheap enough to call per notification.
//   run_metrics m(start, std::chrono::hours(24));   // ~200 series points over 24 h
//   m.accepted(t);  m.attempt_sent(t, 100);  m.attempt_finished(t2, 100, "", t2 - t);
//   m.delivered(t2, created, 1);  m.sample(t2, queue_depth, in_flight, retries_due);

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "reports/histogram.hpp"

namespace outbound::reports {

// Totals over the whole run. Final states are counted when the sender reports them.
struct counters {
  // Notifications taken into the sender's queue. >= delivered + failed + dropped + deleted
  // (the difference is what was still queued, in flight or retrying at the end: still_queued()).
  std::uint64_t notifications_accepted = 0;
  // Notifications reported delivered (acked), once each; subset of accepted.
  std::uint64_t notifications_delivered = 0;
  // Notifications moved to the failed list (dead-letter queue) after expiring; subset of accepted.
  std::uint64_t notifications_failed = 0;
  // Notifications expired after 24 h without a dead-letter queue and discarded; subset of accepted.
  std::uint64_t notifications_dropped = 0;
  // Notifications deleted by a user (Del) before delivery; subset of accepted.
  std::uint64_t notifications_deleted = 0;
  // SOAP messages sent (delivery attempts), each carrying 1..100 notifications.
  // >= messages_acked + messages_failed (the rest were in flight at the end).
  std::uint64_t messages_sent = 0;
  // Of messages_sent, those answered with HTTP 200 and Ack true.
  std::uint64_t messages_acked = 0;
  // Of messages_sent, those that failed in any way; == sum of failures_by_class.
  std::uint64_t messages_failed = 0;
  // Notifications carried by sent messages, counting each attempt (sum of message sizes).
  std::uint64_t notification_attempts = 0;
  // Of notification_attempts, those that were a second or later attempt of their notification.
  std::uint64_t notification_retries = 0;
  // Failed messages per failure class ("refused", "timeout", "nack", ...); sums to messages_failed.
  std::map<std::string, std::uint64_t, std::less<>> failures_by_class;

  // Accepted notifications not yet in a final state (0 if the events over-count).
  std::uint64_t still_queued() const;
  friend bool operator==(const counters&, const counters&) = default;
};

// The whole-number counters above, each with its name in report.json. Writing, reading and merging
// counters walk this one list, so a counter is named once; the assertion below fails the build
// when a counter is added to the struct and not here.
struct counter_field {
  std::string_view name;
  std::uint64_t counters::*member;
};
inline constexpr std::array<counter_field, 10> counter_fields{{
    {"notifications_accepted", &counters::notifications_accepted},
    {"notifications_delivered", &counters::notifications_delivered},
    {"notifications_failed", &counters::notifications_failed},
    {"notifications_dropped", &counters::notifications_dropped},
    {"notifications_deleted", &counters::notifications_deleted},
    {"messages_sent", &counters::messages_sent},
    {"messages_acked", &counters::messages_acked},
    {"messages_failed", &counters::messages_failed},
    {"notification_attempts", &counters::notification_attempts},
    {"notification_retries", &counters::notification_retries},
}};
static_assert(sizeof(counters) == counter_fields.size() * sizeof(std::uint64_t) +
                                      sizeof(decltype(counters::failures_by_class)),
              "every whole-number counter belongs in counter_fields");

// Counts per fixed interval, aligned to multiples of the interval since the Unix epoch so that
// series of different runs or shards line up. Point i covers [start + i*interval, +interval).
struct time_series {
  duration interval{std::chrono::seconds(1)};
  time_point start{};  // start of point 0; a multiple of interval
  // Notifications carried by messages sent / acked in the interval.
  std::vector<std::uint64_t> sent, acked;
  // Notifications carried by messages that failed in the interval, per failure class.
  std::map<std::string, std::vector<std::uint64_t>, std::less<>> failed;
  // Gauges from sample(): the last value sampled in the interval (carried forward through
  // intervals without a sample) and the largest.
  std::vector<std::uint64_t> queue_depth, queue_depth_max, in_flight, retries_due;

  std::size_t size() const { return sent.size(); }
  time_point point_start(std::size_t i) const { return start + interval * static_cast<long>(i); }
  // Sum of failed over all classes for point i.
  std::uint64_t failed_total(std::size_t i) const;
  friend bool operator==(const time_series&, const time_series&) = default;
};

class run_metrics {
 public:
  // Without a length hint the interval starts at 1 s. Whenever the series passes 2 * target_points
  // the interval doubles, so a long run keeps 200 to 400 points.
  run_metrics();
  // With the expected run length: a round interval giving about target_points points.
  run_metrics(time_point start, duration expected_length);
  static constexpr std::size_t target_points = 200;

  // A notification entered the queue.
  void accepted(time_point /*t*/, std::uint64_t notifications = 1) {
    counters_.notifications_accepted += notifications;
  }
  // A message carrying `notifications` was sent; `retried` of them had been attempted before.
  void attempt_sent(time_point t, std::uint32_t notifications, std::uint32_t retried = 0) {
    ++counters_.messages_sent;
    counters_.notification_attempts += notifications;
    counters_.notification_retries += retried;
    series_.sent[slot(t)] += notifications;
  }
  // A message's attempt ended: acked when failure_class is empty, else failed with that class.
  // `response_time` goes to response_time() only when the attempt reached the listener (not for
  // the classes refused, unreachable and tls).
  void attempt_finished(time_point t, std::uint32_t notifications, std::string_view failure_class,
                        duration response_time);
  // Final states of one notification, with its creation time and number of attempts made.
  void delivered(time_point t, time_point created, std::uint32_t attempts) {
    ++counters_.notifications_delivered;
    latency_.record(t - created);
    attempts_.record(attempts);
  }
  void failed(time_point t, time_point created, std::uint32_t attempts);
  void dropped(time_point t, time_point created, std::uint32_t attempts);
  void deleted(time_point t, time_point created, std::uint32_t attempts);
  // A load test's message was answered (acked or failed) `d` after it was actually sent.
  void record_service_time(duration d) { service_time_.record(d); }
  // A notification still queued, in flight or retrying when the run ended: its attempts so far.
  void pending(std::uint32_t attempts) { attempts_.record(attempts); }
  // The queue's state at t (call at least once per interval for a smooth chart).
  void sample(time_point t, std::uint64_t queue_depth, std::uint64_t in_flight,
              std::uint64_t retries_due);

  const counters& totals() const { return counters_; }
  // End-to-end delivery latency in us: created -> acked, delivered notifications only.
  const histogram& delivery_latency() const { return latency_; }
  // Response time in us of each attempt (message), acked or failed.
  const histogram& response_time() const { return response_; }
  // Attempts per notification: those that reached a final state (delivered, failed, dropped,
  // deleted) and, for a scenario, those still pending at the end (attempts made so far).
  const histogram& attempts() const { return attempts_; }
  // Load tests only, in us: each message's actual send to its answer, what a closed-loop tool
  // reports (response_time() runs from the message's intended start instead). Empty for runs.
  const histogram& service_time() const { return service_time_; }
  const time_series& series() const { return series_; }

  // Exact: counters and histograms add; series are re-binned to a common interval (the least
  // common multiple) and added point by point, aligned by time.
  void merge(const run_metrics& other);
  friend bool operator==(const run_metrics&, const run_metrics&) = default;

  nlohmann::json to_json() const;
  static run_metrics from_json(const nlohmann::json& j, const std::string& file,
                               const std::string& path);

 private:
  // Index of the series point holding t, growing (or coarsening) the series as needed.
  std::size_t slot(time_point t) {
    const auto offset = (t - series_.start).count();
    if (offset >= 0 && started_) {
      const auto i = static_cast<std::size_t>(offset / series_.interval.count());
      if (i < series_.size()) return i;
    }
    return grow_to(t);
  }
  std::size_t grow_to(time_point t);
  void count_final(std::uint64_t& counter, time_point created, std::uint32_t attempts);

  counters counters_;
  histogram latency_, response_, attempts_, service_time_;
  time_series series_;
  bool started_ = false;  // series_.start is set
};

// Attempts that never reached the listener (nothing listening, no route, a failed TLS
// handshake) end in next to no time: they are failures, counted by class, not responses, and
// as zero-time "responses" they would pull every response-time percentile towards 0us.
bool reached_listener(std::string_view failure_class);

// Rounds `d / points` up to a readable interval (1ms, 2ms, 5ms, ..., 1s, 2s, 5s, 10s, 15s, 30s,
// 1m, ..., 1h, 2h, 3h, 6h, 12h, 1d).
duration nice_interval(duration length, std::size_t points);
// The start of the interval holding t, intervals counted from the Unix epoch (so that series of
// different runs or shards line up).
time_point align_down(time_point t, duration interval);
// Re-bins `s` to `interval` (a multiple of s.interval): counts add, gauges keep last and max.
time_series rebin(const time_series& s, duration interval);

}  // namespace outbound::reports
