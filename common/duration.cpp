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

}  // namespace

std::optional<duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::int64_t number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000'000) return std::nullopt;
      ++i;
    }
    const unit* found = nullptr;
    for (const auto& u : units) {
      if (text.substr(i, u.suffix.size()) == u.suffix) {
        found = &u;
        break;
      }
    }
    if (!found) return std::nullopt;
    i += found->suffix.size();
    total += number * found->micros;
    if (total < 0 || total > 100LL * 365 * 86'400'000'000) return std::nullopt;
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
