// The load report's time series and per-definition statistics (load_series.hpp), and their
// report.json form.
#include "reports/load_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "reports/json_reader.hpp"
#include "reports/metrics.hpp"
#include "reports/report.hpp"

namespace outbound::reports {

using nlohmann::json;

std::int64_t sparse_histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(
      std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (const auto& [i, n] : counts_) {
    seen += n;
    if (seen >= rank) {
      return i == histogram::bucket_count - 1 ? histogram::bucket_low(i) : histogram::bucket_mid(i);
    }
  }
  return histogram::bucket_low(counts_.rbegin()->first);
}

void sparse_histogram::merge(const sparse_histogram& other) {
  for (const auto& [i, n] : other.counts_) counts_[i] += n;
  count_ += other.count_;
}

json sparse_histogram::to_json() const {
  json out = json::array();
  for (const auto& [i, n] : counts_) out.push_back(json::array({histogram::bucket_low(i), n}));
  return out;
}

sparse_histogram sparse_histogram::from_json(const json& j, const std::string& file,
                                             const std::string& path) {
  const json_reader r(j, file, path);
  sparse_histogram h;
  for (std::size_t k = 0, n = r.array_size(); k < n; ++k) {
    const auto b = r.at(k);
    if (b.array_size() != 2) b.fail("a pair [low, count]");
    const auto low = b.at(std::size_t{0}).int64();
    if (low < 0 || histogram::bucket_low(histogram::bucket_of(low)) != low)
      b.at(std::size_t{0}).fail("the lowest value of a bucket of layout log-linear-7");
    const auto count = b.at(1).uint64();
    if (count == 0) b.at(1).fail("a positive count");
    h.counts_[histogram::bucket_of(low)] += count;
    h.count_ += count;
  }
  return h;
}

namespace {

void add(load_point& a, const load_point& b) {
  a.requested += b.requested;
  a.answered += b.answered;
  for (const auto& [cls, n] : b.failed) a.failed[cls] += n;
  a.latency.merge(b.latency);
  a.service.merge(b.service);
}

}  // namespace

load_series::load_series(time_point start, duration expected_length)
    : interval_(nice_interval(expected_length, target_points)),
      start_(align_down(start, interval_)) {}

load_point& load_series::point(time_point t) {
  // Nothing comes before the run's start; a stray earlier time lands in the first point.
  const auto offset = std::max<std::int64_t>(0, (t - start_).count());
  const auto i = static_cast<std::size_t>(offset / interval_.count());
  if (i >= points_.size()) points_.resize(i + 1);
  return points_[i];
}

void load_series::answered(std::string_view definition, time_point intended, time_point sent,
                           time_point at, std::string_view failure_class) {
  auto& answer = point(at);
  answer.answered += 1;
  if (!failure_class.empty()) {
    auto c = answer.failed.find(failure_class);
    if (c == answer.failed.end()) c = answer.failed.emplace(std::string(failure_class), 0).first;
    c->second += 1;
  }
  auto d = definitions_.find(definition);
  if (d == definitions_.end())
    d = definitions_.emplace(std::string(definition), definition_stats{}).first;
  (failure_class.empty() ? d->second.ok : d->second.ko) += 1;
  if (!reached_listener(failure_class)) return;
  d->second.latency.record(at - intended);
  auto& due = point(intended);
  due.latency.record((at - intended).count());
  due.service.record((at - sent).count());
}

void load_series::rebin(duration interval) {
  if (interval == interval_) return;
  std::vector<load_point> out;
  const time_point start = align_down(start_, interval);
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const auto j = static_cast<std::size_t>((point_start(i) - start) / interval);
    if (j >= out.size()) out.resize(j + 1);
    add(out[j], points_[i]);
  }
  points_ = std::move(out);
  interval_ = interval;
  start_ = start;
}

void load_series::merge(const load_series& other) {
  for (const auto& [name, s] : other.definitions_) {
    auto& mine = definitions_[name];
    mine.ok += s.ok;
    mine.ko += s.ko;
    mine.latency.merge(s.latency);
  }
  if (other.points_.empty()) return;
  if (points_.empty()) {
    interval_ = other.interval_;
    start_ = other.start_;
    points_ = other.points_;
    return;
  }
  const duration common(std::lcm(interval_.count(), other.interval_.count()));
  load_series theirs = other;
  rebin(common);
  theirs.rebin(common);
  if (theirs.start_ < start_) {  // move point 0 earlier
    const auto extra = static_cast<std::size_t>((start_ - theirs.start_) / interval_);
    points_.insert(points_.begin(), extra, load_point{});
    start_ = theirs.start_;
  }
  const auto shift = static_cast<std::size_t>((theirs.start_ - start_) / interval_);
  if (shift + theirs.points_.size() > points_.size()) points_.resize(shift + theirs.points_.size());
  for (std::size_t i = 0; i < theirs.points_.size(); ++i)
    add(points_[shift + i], theirs.points_[i]);
}

json load_series::to_json() const {
  json requested = json::array(), answered = json::array(), latency = json::array(),
       service = json::array(), failed = json::object();
  for (const auto& p : points_)
    for (const auto& [cls, n] : p.failed) failed[cls] = json::array();
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const auto& p = points_[i];
    requested.push_back(p.requested);
    answered.push_back(p.answered);
    latency.push_back(p.latency.to_json());
    service.push_back(p.service.to_json());
    for (auto& [cls, column] : failed.items()) {
      const auto it = p.failed.find(cls);
      column.push_back(it == p.failed.end() ? 0 : it->second);
    }
  }
  json definitions = json::object();
  for (const auto& [name, s] : definitions_)
    definitions[name] = {{"ok", s.ok}, {"ko", s.ko}, {"latency_us", s.latency.to_json()}};
  return {{"interval_us", interval_.count()},      {"start", format_timestamp_us(start_)},
          {"requested", std::move(requested)},     {"answered", std::move(answered)},
          {"failed", std::move(failed)},           {"latency_us", std::move(latency)},
          {"service_time_us", std::move(service)}, {"definitions", std::move(definitions)}};
}

load_series load_series::from_json(const json& j, const std::string& file,
                                   const std::string& path) {
  const json_reader r(j, file, path);
  load_series s;
  const auto interval = r.at("interval_us").int64();
  if (interval <= 0) r.at("interval_us").fail("a positive number of microseconds");
  s.interval_ = duration(interval);
  s.start_ = r.at("start").timestamp();
  if ((s.start_.time_since_epoch() % s.interval_).count() != 0)
    r.at("start").fail("a multiple of interval_us since the Unix epoch");
  const auto n = r.at("requested").array_size();
  s.points_.resize(n);
  auto column = [&](const char* key) {
    const auto c = r.at(key);
    if (c.array_size() != n) c.fail(fmt::format("an array of {} values (like \"requested\")", n));
    return c;
  };
  const auto requested = column("requested"), answered = column("answered"),
             latency = column("latency_us"), service = column("service_time_us");
  const auto failed = r.at("failed");
  failed.object();
  for (std::size_t i = 0; i < n; ++i) {
    auto& p = s.points_[i];
    p.requested = requested.at(i).uint64();
    p.answered = answered.at(i).uint64();
    p.latency = sparse_histogram::from_json(latency.at(i).raw(), file, latency.at(i).path());
    p.service = sparse_histogram::from_json(service.at(i).raw(), file, service.at(i).path());
  }
  for (const auto& [cls, v] : failed.raw().items()) {
    const auto c = failed.at(cls);
    if (c.array_size() != n) c.fail(fmt::format("an array of {} integers", n));
    for (std::size_t i = 0; i < n; ++i)
      if (const auto k = c.at(i).uint64()) s.points_[i].failed[cls] = k;
  }
  const auto definitions = r.at("definitions");
  definitions.object();
  for (const auto& [name, v] : definitions.raw().items()) {
    const auto d = definitions.at(name);
    auto& stats = s.definitions_[name];
    stats.ok = d.at("ok").uint64();
    stats.ko = d.at("ko").uint64();
    stats.latency = histogram::from_json(d.at("latency_us").raw(), file, d.at("latency_us").path());
  }
  return s;
}

}  // namespace outbound::reports
