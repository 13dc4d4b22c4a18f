#pragma once
// Time as every component sees it: injected, never read from std::chrono directly in core code,
// so that a scenario can run the same code in wall time or in simulated time.
//   system_clock real;
//   manual_clock fake(*parse_timestamp("2026-01-05T09:00:00Z"));
//   fake.advance(std::chrono::hours(3));

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/duration.hpp"

namespace outbound {

// Microseconds since the Unix epoch, UTC.
using time_point = std::chrono::sys_time<std::chrono::microseconds>;

class clock {
 public:
  virtual ~clock() = default;
  virtual time_point now() const = 0;
};

class system_clock final : public clock {
 public:
  time_point now() const override;
};

// A clock that moves only when told: for tests and for the simulated event loop.
class manual_clock final : public clock {
 public:
  explicit manual_clock(time_point start) : now_(start) {}
  time_point now() const override { return now_; }
  void set(time_point t) { now_ = t; }
  void advance(duration d) { now_ += d; }

 private:
  time_point now_;
};

// ISO 8601 in UTC with milliseconds, as Salesforce writes dateTime: 2026-01-05T09:00:00.000Z
std::string format_timestamp(time_point t);
// Reads "2026-01-05T09:00:00Z", with optional fractional seconds; nullopt otherwise.
std::optional<time_point> parse_timestamp(std::string_view text);
// A wall-clock time as people give one on a command line: RFC 3339 with its zone
// ("2026-01-05T09:00:00Z", "2026-01-05T10:00:00.5+01:00", lower-case t and z too) or "@" and
// Unix seconds ("@1767603600", "@1767603600.25"); nullopt otherwise.
std::optional<time_point> parse_wall_time(std::string_view text);

}  // namespace outbound
