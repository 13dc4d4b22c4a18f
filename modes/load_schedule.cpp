#include "modes/load_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "common/rate.hpp"

namespace outbound::modes {
namespace {

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<rate> parse_rate(std::string_view text) {
  const auto per_second = outbound::parse_rate(text);  // the project's one rate grammar
  if (!per_second || *per_second <= 0) return std::nullopt;
  return rate{*per_second};
}

std::string format_rate(rate r) {
  return fmt::format("{:g}/s", r.per_second);
}

std::optional<shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto index = parse_count(text.substr(0, slash));
  const auto count = parse_count(text.substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) return std::nullopt;
  return shard{*index, *count};
}

namespace {

// Messages due in a stage: the area under its rate line.
double stage_messages(const load_stage& s) {
  return (s.from + s.to) / 2 * static_cast<double>(s.length.count()) / 1e6;
}

// The last message a count of `exact` messages holds: 100/s for 2s is 200, not 201, despite
// binary rounding of the product.
constexpr double count_tolerance = 1e-9;

}  // namespace

arrival_plan::arrival_plan(std::vector<load_stage> stages) : stages_(std::move(stages)) {
  if (stages_.empty()) throw std::invalid_argument("arrival_plan: no stage");
  stage_first_.push_back(0);
  for (const auto& s : stages_) {
    if (s.length.count() <= 0) throw std::invalid_argument("arrival_plan: a stage of length 0");
    if (!(s.from >= 0) || !(s.to >= 0))
      throw std::invalid_argument("arrival_plan: a negative rate");
    stage_start_.push_back(length_);
    length_ += s.length;
    // Each stage's share is exact on its own; the sum of a few of them is the only addition.
    stage_first_.push_back(stage_first_.back() + stage_messages(s));
  }
}

std::uint64_t arrival_plan::message_count() const {
  const double exact = integral();
  return exact <= 0 ? 0 : static_cast<std::uint64_t>(std::ceil(exact - count_tolerance));
}

std::uint64_t arrival_plan::message_count(shard s) const {
  const std::uint64_t all = message_count();
  const std::uint64_t first = s.index - 1;  // the test's index of this shard's message 0
  return all > first ? (all - first + s.count - 1) / s.count : 0;
}

duration arrival_plan::offset(std::uint64_t i) const {
  const double n = static_cast<double>(i);
  std::size_t k = 0;  // the first stage that ends after message i: it sends it
  while (k + 1 < stages_.size() && !(stage_first_[k + 1] > n + count_tolerance)) ++k;
  const load_stage& s = stages_[k];
  const double m = std::max(0.0, n - stage_first_[k]);  // messages of this stage before i
  const double length_us = static_cast<double>(s.length.count());
  double t = 0;  // us into the stage
  if (s.from == s.to) {
    t = s.from > 0 ? m * 1e6 / s.from : 0;  // i / rate, from the stage's start
  } else if (m > 0) {
    // m = r0*t + a*t^2/2 with rates per us and slope a: the root written so that it neither
    // cancels (ramp up from 0) nor divides by zero (no slope).
    const double r0 = s.from / 1e6;
    const double a = (s.to - s.from) / 1e6 / length_us;
    t = 2 * m / (r0 + std::sqrt(std::max(0.0, r0 * r0 + 2 * a * m)));
  }
  t = std::clamp(t, 0.0, length_us);
  return stage_start_[k] + duration(std::llround(t));
}

double arrival_plan::mean_rate() const {
  return integral() * 1e6 / static_cast<double>(length_.count());
}

std::uint64_t run_block_for_seed(std::uint64_t seed) {
  // A splitmix64 step spreads nearby seeds (1, 2, 3) over far-apart blocks.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) >> 45;
}

std::uint64_t notification_sequence(shard s, std::uint64_t n, std::uint64_t run_block) {
  return run_block * run_block_size + n * s.count + (s.index - 1);
}

}  // namespace outbound::modes
