#include "sender/retry_after.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include "common/text.hpp"

namespace outbound::sender {
namespace {

// HTTP's optional white space (RFC 9110 5.6.3) around a header value.
constexpr std::string_view blanks = " \t";

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A fixed-width number of `s` from `at`, or -1.
int number_at(std::string_view s, std::size_t at, std::size_t width) {
  if (at + width > s.size() || !all_digits(s.substr(at, width))) return -1;
  int v = 0;
  std::from_chars(s.data() + at, s.data() + at + width, v);
  return v;
}

// "Sun, 06 Nov 1994 08:49:37 GMT": exactly 29 characters.
std::optional<time_point> parse_imf_fixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 7> days{"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  bool day_name = false;
  for (auto d : days) day_name = day_name || s.substr(0, 3) == d;
  unsigned month = 0;
  for (unsigned i = 0; i < months.size(); ++i)
    if (s.substr(8, 3) == months[i]) month = i + 1;
  const int day = number_at(s, 5, 2), year = number_at(s, 12, 4);
  const int hour = number_at(s, 17, 2), minute = number_at(s, 20, 2), second = number_at(s, 23, 2);
  if (!day_name || month == 0 || day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return time_point(std::chrono::sys_days(date)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

}  // namespace

std::optional<duration> parse_retry_after(std::string_view value, time_point now) {
  value = trim(value, blanks);
  if (all_digits(value)) {
    // Any number of digits: more than a year's worth of seconds is cut to a year.
    while (value.size() > 1 && value.front() == '0') value.remove_prefix(1);
    std::uint64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    const auto longest = std::chrono::duration_cast<std::chrono::seconds>(longest_retry_after);
    if (ec != std::errc{} || seconds > static_cast<std::uint64_t>(longest.count()))
      return longest_retry_after;
    return std::chrono::seconds(seconds);
  }
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  if (*date <= now) return duration::zero();
  return std::min<duration>(*date - now, longest_retry_after);
}

}  // namespace outbound::sender
