#include "common/rate.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace outbound {

std::optional<double> checked_rate(double per_second) {
  if (!std::isfinite(per_second) || per_second < 0 || per_second > max_rate_per_second)
    return std::nullopt;
  return per_second;
}

std::optional<double> parse_rate(std::string_view text) {
  double per = 1;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view unit = text.substr(slash + 1);
    if (unit == "s")
      per = 1;
    else if (unit == "m")
      per = 60;
    else if (unit == "h")
      per = 3600;
    else if (unit == "d")
      per = 86400;
    else
      return std::nullopt;
    text = text.substr(0, slash);
  }
  if (text.empty()) return std::nullopt;
  double n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(n) || n < 0)
    return std::nullopt;
  return checked_rate(n / per);
}

}  // namespace outbound
