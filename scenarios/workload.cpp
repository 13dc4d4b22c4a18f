#include "scenarios/workload.hpp"

#include <algorithm>
#include <cmath>

#include "soap/ids.hpp"
#include "soap/sample_data.hpp"

namespace outbound::scenarios {
namespace {

// A stretch where the rate changes linearly from r0 to r1 (per second) over [t0, t1).
struct segment {
  duration t0{}, t1{};
  double r0 = 0, r1 = 0;
  double seconds() const { return std::chrono::duration<double>(t1 - t0).count(); }
  double integral() const { return (r0 + r1) / 2 * seconds(); }
  // The time inside the segment where the integral from t0 reaches y (0 <= y <= integral()).
  duration invert(double y) const {
    const double len = seconds();
    const double a = r0, b = len > 0 ? (r1 - r0) / len : 0;
    // Solves a*x + b*x^2/2 = y in the form that stays stable for b < 0 and b == 0.
    const double root = std::sqrt(std::max(0.0, a * a + 2 * b * y));
    const double x = a + root > 0 ? 2 * y / (a + root) : 0;
    return t0 +
           std::chrono::duration_cast<duration>(std::chrono::duration<double>(std::min(x, len)));
  }
};

constexpr auto hour = std::chrono::hours(1);

std::vector<segment> segments_of(const traffic& t, time_point start) {
  switch (t.kind) {
    case traffic::shape::constant:
      return {segment{t.from, t.until, t.rate, t.rate}};
    case traffic::shape::ramp:
      return {segment{t.from, t.until, t.rate, t.rate_to}};
    case traffic::shape::daily: {
      std::vector<segment> out;
      for (duration at = t.from; at < t.until;) {
        const auto absolute = start + at;
        const auto day = std::chrono::floor<std::chrono::days>(absolute);
        const auto h = std::chrono::floor<std::chrono::hours>(absolute - day);
        const duration next = std::min<duration>(t.until, at + (day + h + hour - absolute));
        const double r = t.rate * t.curve[static_cast<std::size_t>(h.count() % 24)];
        out.push_back(segment{at, next, r, r});
        at = next;
      }
      return out;
    }
    case traffic::shape::burst:
      break;
  }
  return {};
}

// Arrival k (0-based) of `total` at cumulative integral `y` across the segments.
void place(const std::vector<segment>& segs, const std::vector<double>& targets,
           std::vector<duration>& out) {
  std::size_t s = 0;
  double before = 0;  // integral of the segments before s
  for (double y : targets) {
    while (s < segs.size() && before + segs[s].integral() < y) before += segs[s++].integral();
    if (s == segs.size()) break;
    out.push_back(segs[s].invert(y - before));
  }
}

std::vector<duration> times_of(const traffic& t, time_point start, bool poisson, random& rng) {
  std::vector<duration> out;
  if (t.kind == traffic::shape::burst) {
    const auto spread = t.until - t.from;
    for (std::uint64_t k = 0; k < t.count; ++k)
      out.push_back(t.from +
                    spread * static_cast<std::int64_t>(k) / static_cast<std::int64_t>(t.count));
    return out;
  }
  const auto segs = segments_of(t, start);
  double total = 0;
  for (const auto& s : segs) total += s.integral();
  std::vector<double> targets;
  if (poisson) {
    // Time rescaling: unit-rate Poisson arrivals mapped through the integrated rate.
    for (double y = -std::log(1 - rng.uniform()); y <= total; y += -std::log(1 - rng.uniform()))
      targets.push_back(y);
  } else {
    const auto n = static_cast<std::uint64_t>(std::floor(total + 0.5));
    for (std::uint64_t k = 0; k < n; ++k) targets.push_back(static_cast<double>(k) + 0.5);
  }
  place(segs, targets, out);
  return out;
}

bool is_modstamp(const std::string& name) {
  return name == "SystemModstamp" || name == "LastModifiedDate";
}

sender::change_kind pick(const change_mix& m, random& rng) {
  const double u = rng.uniform();
  if (u < m.creates) return sender::change_kind::create;
  if (u < m.creates + m.updates) return sender::change_kind::update;
  return sender::change_kind::remove;
}

}  // namespace

double expected_changes(const traffic& t, time_point start) {
  if (t.kind == traffic::shape::burst) return static_cast<double>(t.count);
  double total = 0;
  for (const auto& s : segments_of(t, start)) total += s.integral();
  return total;
}

std::vector<arrival> schedule_arrivals(const workload& w, time_point start, random& rng) {
  std::vector<arrival> out;
  for (const auto& t : w.changes) {
    const change_mix& mix = t.mix ? *t.mix : w.mix;
    for (duration at : times_of(t, start, w.poisson, rng)) out.push_back({at, pick(mix, rng)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const arrival& a, const arrival& b) { return a.at < b.at; });
  return out;
}

record_pool::record_pool(std::string object, std::vector<soap::field> fields)
    : object_(std::move(object)),
      fields_(std::move(fields)),
      prefix_(soap::key_prefix_for(object_)) {}

std::string record_pool::next_id() {
  return soap::make_id(prefix_, next_++);
}

void record_pool::stamp(sender::record_change& c, time_point now) const {
  for (const auto& f : fields_) {
    if (!is_modstamp(f.name)) continue;
    auto it = std::find_if(c.fields.begin(), c.fields.end(),
                           [&](const soap::field_value& v) { return v.name == f.name; });
    if (it == c.fields.end()) it = c.fields.insert(c.fields.end(), soap::field_value{f.name, {}});
    it->value = format_timestamp(now);
  }
}

sender::record_change record_pool::create(random& rng, time_point now) {
  sender::record_change c;
  c.kind = sender::change_kind::create;
  c.object = object_;
  c.record_id = next_id();
  for (const auto& f : fields_)
    if (!is_modstamp(f.name)) c.fields.push_back(soap::sample_value(f, rng));
  stamp(c, now);
  alive_.push_back(c.record_id);
  return c;
}

std::vector<sender::record_change> record_pool::initial(std::uint64_t count, random& rng,
                                                        time_point now) {
  std::vector<sender::record_change> out;
  out.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) out.push_back(create(rng, now));
  return out;
}

sender::record_change record_pool::change(sender::change_kind kind, random& rng, time_point now) {
  if (kind == sender::change_kind::create || alive_.empty()) return create(rng, now);
  const auto index = static_cast<std::size_t>(rng.below(alive_.size()));
  sender::record_change c;
  c.kind = kind;
  c.object = object_;
  c.record_id = alive_[index];
  if (kind == sender::change_kind::remove) {
    alive_[index] = alive_.back();
    alive_.pop_back();
    return c;
  }
  // An update gives one field a new value.
  if (!fields_.empty()) {
    const auto& f = fields_[rng.below(fields_.size())];
    if (!is_modstamp(f.name)) c.fields.push_back(soap::sample_value(f, rng));
  }
  stamp(c, now);
  return c;
}

}  // namespace outbound::scenarios
