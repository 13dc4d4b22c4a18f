#include "modes/load_schedule.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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

time_point due_time(time_point start, std::uint64_t i, rate r) {
  const double offset_us = static_cast<double>(i) * 1e6 / r.per_second;
  return start + duration(std::llround(offset_us));
}

std::uint64_t message_count(rate r, duration length) {
  if (length.count() <= 0) return 0;
  const double exact = r.per_second * static_cast<double>(length.count()) / 1e6;
  // The tolerance keeps 100/s for 2s at 200 despite binary rounding of the product.
  return static_cast<std::uint64_t>(std::ceil(exact - 1e-9));
}

std::uint64_t message_count(rate r, duration length, shard s) {
  const std::uint64_t all = message_count(r, length);
  const std::uint64_t first = s.index - 1;  // the test's index of this shard's message 0
  return all > first ? (all - first + s.count - 1) / s.count : 0;
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
