#include "common/duration.hpp"

#include <cctype>
#include <cstdint>

namespace outbound {
namespace {

struct unit {
  std::string_view suffix;
  std::int64_t micros;
};

// Longest suffixes first so "ms" is not read as "m" followed by garbage.
constexpr unit units[] = {
    {"us", 1},         {"ms", 1000},    {"d", 86'400'000'000}, {"h", 3'600'000'000},
    {"m", 60'000'000}, {"s", 1'000'000}};

constexpr std::int64_t max_micros = max_duration.count();
constexpr std::size_t max_decimals = 6;

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// One "<digits>[.<digits>]<unit>" component at text[i], in microseconds; nullopt on anything
// else or beyond max_duration. Every product is checked before it is formed, so nothing wraps.
std::optional<std::int64_t> component(std::string_view text, std::size_t& i) {
  std::int64_t whole = 0;
  const std::size_t start = i;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    if (whole > max_micros) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i == start) return std::nullopt;
  std::int64_t fraction = 0, scale = 1;
  if (i < text.size() && text[i] == '.') {
    const std::size_t first = ++i;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (i - first >= max_decimals) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
      scale *= 10;
    }
    if (i == first) return std::nullopt;
  }
  for (const auto& u : units) {
    if (text.substr(i, u.suffix.size()) != u.suffix) continue;
    i += u.suffix.size();
    if (whole > max_micros / u.micros) return std::nullopt;
    // fraction < 10^6 and micros <= 8.64e10, so the product stays below 2^63.
    return whole * u.micros + fraction * u.micros / scale;
  }
  return std::nullopt;
}

}  // namespace

std::optional<duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto part = component(text, i);
    if (!part) return std::nullopt;
    total += *part;  // both <= max_micros, so the sum cannot wrap
    if (total > max_micros) return std::nullopt;
  }
  return duration(total);
}

std::string format_duration(duration d) {
  std::int64_t us = d.count();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out = "-";
    us = -us;
  }
  const std::int64_t ms_part = us % 1'000'000;
  if (ms_part != 0 && us < 1'000'000) {
    return out + (ms_part % 1000 == 0 ? std::to_string(ms_part / 1000) + "ms"
                                      : std::to_string(ms_part) + "us");
  }
  for (const auto& u : {unit{"d", 86'400'000'000}, unit{"h", 3'600'000'000}, unit{"m", 60'000'000},
                        unit{"s", 1'000'000}}) {
    if (us >= u.micros) {
      out += std::to_string(us / u.micros) + std::string(u.suffix);
      us %= u.micros;
    }
  }
  if (us != 0) out += us % 1000 == 0 ? std::to_string(us / 1000) + "ms" : std::to_string(us) + "us";
  return out;
}

}  // namespace outbound
