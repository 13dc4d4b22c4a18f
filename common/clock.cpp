#include "common/clock.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace outbound {

time_point system_clock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string format_timestamp(time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::milliseconds>(t - day));
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::optional<time_point> parse_timestamp(std::string_view s) {
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    if (pos + len > s.size()) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, v);
    if (ec != std::errc() || p != s.data() + pos + len) return std::nullopt;
    return v;
  };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
       se = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                        std::chrono::month(static_cast<unsigned>(*mo)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    std::int64_t scale = 100000;
    ++pos;
    if (pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos]))) return std::nullopt;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') return std::nullopt;
  return time_point(std::chrono::sys_days(ymd)) + std::chrono::hours(*h) +
         std::chrono::minutes(*mi) + std::chrono::seconds(*se) + std::chrono::microseconds(micros);
}

namespace {

// "@SECONDS[.FRACTION]": whole seconds since the Unix epoch, up to 6 decimals.
std::optional<time_point> parse_unix_seconds(std::string_view s) {
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  const auto digits = [](std::string_view d) {
    for (const char c : d)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  // 11 digits reach the year 5138: far enough, and no overflow in microseconds.
  if (whole.empty() || whole.size() > 11 || !digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos &&
      (fraction.empty() || fraction.size() > 6 || !digits(fraction)))
    return std::nullopt;
  std::int64_t seconds = 0, micros = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  for (std::size_t i = 0; i < 6; ++i)
    micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  return time_point(std::chrono::seconds(seconds) + std::chrono::microseconds(micros));
}

}  // namespace

std::optional<time_point> parse_wall_time(std::string_view text) {
  if (text.starts_with('@')) return parse_unix_seconds(text.substr(1));
  std::string s(text);
  if (s.size() > 10 && s[10] == 't') s[10] = 'T';
  if (!s.empty() && s.back() == 'z') s.back() = 'Z';
  if (!s.empty() && s.back() == 'Z') return parse_timestamp(s);
  // A numeric zone, +hh:mm or -hh:mm: the local time minus the zone's offset is UTC.
  if (s.size() < 25) return std::nullopt;
  const std::string zone = s.substr(s.size() - 6);
  if ((zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
  const auto two_digits = [&](std::size_t at, int most) -> std::optional<int> {
    if (!std::isdigit(static_cast<unsigned char>(zone[at])) ||
        !std::isdigit(static_cast<unsigned char>(zone[at + 1])))
      return std::nullopt;
    const int v = (zone[at] - '0') * 10 + (zone[at + 1] - '0');
    if (v > most) return std::nullopt;
    return v;
  };
  const auto hours = two_digits(1, 23), minutes = two_digits(4, 59);
  if (!hours || !minutes) return std::nullopt;
  const auto local = parse_timestamp(s.substr(0, s.size() - 6) + "Z");
  if (!local) return std::nullopt;
  const auto offset = std::chrono::hours(*hours) + std::chrono::minutes(*minutes);
  return zone[0] == '+' ? *local - offset : *local + offset;
}

}  // namespace outbound
