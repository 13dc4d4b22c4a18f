#include "reports/metrics.hpp"

#include <algorithm>
#include <array>
#include <numeric>

namespace outbound::reports {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

std::uint64_t counters::still_queued() const {
  const auto done = notifications_delivered + notifications_failed + notifications_dropped +
                    notifications_deleted;
  return notifications_accepted > done ? notifications_accepted - done : 0;
}

std::uint64_t time_series::failed_total(std::size_t i) const {
  std::uint64_t n = 0;
  for (const auto& [cls, v] : failed) n += i < v.size() ? v[i] : 0;
  return n;
}

duration nice_interval(duration length, std::size_t points) {
  static const std::array<duration, 29> ladder = {
      milliseconds(1),  milliseconds(2),   milliseconds(5),   milliseconds(10),  milliseconds(20),
      milliseconds(50), milliseconds(100), milliseconds(200), milliseconds(500), seconds(1),
      seconds(2),       seconds(5),        seconds(10),       seconds(15),       seconds(30),
      minutes(1),       minutes(2),        minutes(5),        minutes(10),       minutes(15),
      minutes(30),      hours(1),          hours(2),          hours(3),          hours(6),
      hours(12),        hours(24),         hours(48),         hours(168)};
  const auto want = length / static_cast<long>(std::max<std::size_t>(points, 1));
  for (auto d : ladder)
    if (d >= want) return d;
  return ladder.back();
}

time_point align_down(time_point t, duration interval) {
  auto c = t.time_since_epoch().count(), i = interval.count();
  auto q = c / i;
  if (c % i != 0 && c < 0) --q;
  return time_point(duration(q * i));
}

namespace {

// Grows every column of `s` to `n` points, carrying gauges' last values forward.
void resize(time_series& s, std::size_t n) {
  const auto old = s.size();
  if (n <= old) return;
  s.sent.resize(n);
  s.acked.resize(n);
  for (auto& [cls, v] : s.failed) v.resize(n);
  for (auto* g : {&s.queue_depth, &s.queue_depth_max, &s.in_flight, &s.retries_due})
    g->resize(n, old ? (*g)[old - 1] : 0);
  // A carried value is a level, not a peak: the max of a carried point is the carried level.
  for (std::size_t i = old; i < n; ++i) s.queue_depth_max[i] = s.queue_depth[i];
}

// Moves point 0 of `s` earlier to `start` (a multiple of the interval, <= s.start).
void extend_front(time_series& s, time_point start) {
  const auto extra = static_cast<std::size_t>((s.start - start) / s.interval);
  if (extra == 0) return;
  auto pad = [extra](std::vector<std::uint64_t>& v) { v.insert(v.begin(), extra, 0); };
  pad(s.sent);
  pad(s.acked);
  for (auto& [cls, v] : s.failed) pad(v);
  for (auto* g : {&s.queue_depth, &s.queue_depth_max, &s.in_flight, &s.retries_due}) pad(*g);
  s.start = start;
}

}  // namespace

time_series rebin(const time_series& s, duration interval) {
  if (interval == s.interval) return s;
  time_series out;
  out.interval = interval;
  out.start = align_down(s.start, interval);
  if (s.size() == 0) return out;
  const auto end = s.point_start(s.size() - 1);
  const auto n = static_cast<std::size_t>((end - out.start) / interval) + 1;
  for (const auto& [cls, v] : s.failed) out.failed[cls];
  resize(out, n);
  std::vector<bool> touched(n, false);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto j = static_cast<std::size_t>((s.point_start(i) - out.start) / interval);
    out.sent[j] += s.sent[i];
    out.acked[j] += s.acked[i];
    for (const auto& [cls, v] : s.failed) out.failed[cls][j] += v[i];
    // Points are in time order, so the last one mapped to j gives its last value.
    out.queue_depth[j] = s.queue_depth[i];
    out.in_flight[j] = s.in_flight[i];
    out.retries_due[j] = s.retries_due[i];
    out.queue_depth_max[j] =
        touched[j] ? std::max(out.queue_depth_max[j], s.queue_depth_max[i]) : s.queue_depth_max[i];
    touched[j] = true;
  }
  return out;
}

run_metrics::run_metrics() = default;

run_metrics::run_metrics(time_point start, duration expected_length) : started_(true) {
  series_.interval = nice_interval(expected_length, target_points);
  series_.start = align_down(start, series_.interval);
}

std::size_t run_metrics::grow_to(time_point t) {
  if (!started_) {
    series_.start = align_down(t, series_.interval);
    started_ = true;
  }
  // Coarsen until the series, widened to hold t on either side, fits 2 * target_points; so a
  // stray time far away costs a few re-bins, never a huge array.
  for (;;) {
    const auto first = std::min(series_.start, align_down(t, series_.interval));
    const auto last = std::max(series_.point_start(series_.size() ? series_.size() - 1 : 0), t);
    if ((last - first) / series_.interval < static_cast<long>(2 * target_points)) break;
    series_ = rebin(series_, series_.interval * 2);
  }
  if (t < series_.start) extend_front(series_, align_down(t, series_.interval));
  const auto index = static_cast<std::size_t>((t - series_.start) / series_.interval);
  resize(series_, index + 1);
  return index;
}

bool reached_listener(std::string_view failure_class) {
  return failure_class != "refused" && failure_class != "unreachable" && failure_class != "tls";
}

void run_metrics::attempt_finished(time_point t, std::uint32_t notifications,
                                   std::string_view failure_class, duration response_time) {
  if (reached_listener(failure_class)) response_.record(response_time);
  const auto i = slot(t);
  if (failure_class.empty()) {
    ++counters_.messages_acked;
    series_.acked[i] += notifications;
    return;
  }
  ++counters_.messages_failed;
  auto c = counters_.failures_by_class.find(failure_class);
  if (c == counters_.failures_by_class.end())
    c = counters_.failures_by_class.emplace(std::string(failure_class), 0).first;
  ++c->second;
  auto s = series_.failed.find(failure_class);
  if (s == series_.failed.end())
    s = series_.failed
            .emplace(std::string(failure_class), std::vector<std::uint64_t>(series_.size()))
            .first;
  s->second[i] += notifications;
}

void run_metrics::count_final(std::uint64_t& counter, time_point /*created*/,
                              std::uint32_t attempts) {
  ++counter;
  attempts_.record(attempts);
}

void run_metrics::failed(time_point /*t*/, time_point created, std::uint32_t attempts) {
  count_final(counters_.notifications_failed, created, attempts);
}
void run_metrics::dropped(time_point /*t*/, time_point created, std::uint32_t attempts) {
  count_final(counters_.notifications_dropped, created, attempts);
}
void run_metrics::deleted(time_point /*t*/, time_point created, std::uint32_t attempts) {
  count_final(counters_.notifications_deleted, created, attempts);
}

void run_metrics::sample(time_point t, std::uint64_t queue_depth, std::uint64_t in_flight,
                         std::uint64_t retries_due) {
  const auto i = slot(t);
  // The level carried in from the previous point counts too: the queue held it at the start.
  series_.queue_depth[i] = queue_depth;
  series_.queue_depth_max[i] = std::max(series_.queue_depth_max[i], queue_depth);
  series_.in_flight[i] = in_flight;
  series_.retries_due[i] = retries_due;
}

void run_metrics::merge(const run_metrics& other) {
  auto& c = counters_;
  const auto& o = other.counters_;
  for (const auto& field : counter_fields) c.*field.member += o.*field.member;
  for (const auto& [cls, n] : o.failures_by_class) c.failures_by_class[cls] += n;
  latency_.merge(other.latency_);
  response_.merge(other.response_);
  service_time_.merge(other.service_time_);
  attempts_.merge(other.attempts_);
  if (!other.started_ || other.series_.size() == 0) return;
  if (!started_ || series_.size() == 0) {
    series_ = other.series_;
    started_ = true;
    return;
  }
  const auto lcm = duration(std::lcm(series_.interval.count(), other.series_.interval.count()));
  series_ = rebin(series_, lcm);
  auto theirs = rebin(other.series_, lcm);
  const auto start = std::min(series_.start, theirs.start);
  extend_front(series_, start);
  extend_front(theirs, start);
  const auto n = std::max(series_.size(), theirs.size());
  for (const auto& [cls, v] : theirs.failed) series_.failed[cls].resize(series_.size());
  resize(series_, n);
  resize(theirs, n);
  for (std::size_t i = 0; i < n; ++i) {
    series_.sent[i] += theirs.sent[i];
    series_.acked[i] += theirs.acked[i];
    series_.queue_depth[i] += theirs.queue_depth[i];
    series_.queue_depth_max[i] += theirs.queue_depth_max[i];
    series_.in_flight[i] += theirs.in_flight[i];
    series_.retries_due[i] += theirs.retries_due[i];
  }
  for (const auto& [cls, v] : theirs.failed) {
    auto& mine = series_.failed[cls];
    for (std::size_t i = 0; i < n; ++i) mine[i] += v[i];
  }
}

}  // namespace outbound::reports
