#pragma once
// When a failed notification is tried again, and when it expires: Salesforce's schedule (the
// default) or an explicit one, as a small value type that takes its clock readings and random
// source as parameters.
//   retry_policy p = parse_retry_policy("exponential:15s,2,2h,max_age=24h");
//   std::optional<time_point> next = p.next_attempt(attempts, created, now, rng);  // nullopt:
//   expire

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/random.hpp"

namespace outbound::sender {

enum class backoff {
  fixed,        // every retry after `base`
  linear,       // retry n after n * base, at most `cap`
  exponential,  // retry n after base * factor^(n-1), at most `cap`
  list,         // retry n after intervals[n-1]; expires when the list is used up
};

std::string_view to_string(backoff b);  // "fixed", "linear", "exponential", "list"

struct retry_policy {
  std::string name{};  // "salesforce" for the named profile, else to_string(kind)
  backoff kind = backoff::exponential;
  duration base{};      // fixed: the interval; linear: the step; exponential: the first interval
  double factor = 2.0;  // exponential only
  duration cap{};       // linear and exponential: the longest interval; zero for none
  std::vector<duration> intervals{};  // list only
  double jitter = 0.0;  // each interval is scaled by a uniform factor in [1-jitter, 1+jitter]
  std::optional<int> max_attempts{};  // expire once this many attempts have failed
  // The last attempt is made when the notification is this old (earlier retries are moved to
  // that moment if they would fall after it); one that fails then, or later, expires.
  std::optional<duration> max_age;
  // Wait at least as long as a failed response's Retry-After header asks (on 429 and 503, where
  // listeners send it). Off by default: Salesforce documents only its own schedule.
  bool honor_retry_after = false;

  // Salesforce: first retry after 15 s, doubling, at most 2 h between retries, ±10% jitter,
  // expiry 24 h after creation. The 2 h cap and 24 h expiry are documented by Salesforce; the
  // 15 s first interval and the ±10% jitter are ASSUMPTIONS (not published).
  static retry_policy salesforce();

  // After `attempts` failed attempts (>= 1) of a notification created at `created`, failing at
  // `now`: the time of the next attempt, or nullopt when the notification expires now.
  // Draws from `rng` only when jitter is non-zero. A jittered interval never exceeds `cap`.
  // `retry_after` is the wait the failed response asked for (parse_retry_after); with
  // honor_retry_after the next attempt is no earlier than now + retry_after (but still no later
  // than max_age allows).
  std::optional<time_point> next_attempt(int attempts, time_point created, time_point now,
                                         random& rng,
                                         std::optional<duration> retry_after = {}) const;
  // The interval before retry number `attempts` (>= 1) without jitter; nullopt past a list's end.
  std::optional<duration> interval(int attempts) const;

  // The command-line form, which parse_retry_policy reads back to an equal policy.
  std::string to_string() const;
  friend bool operator==(const retry_policy&, const retry_policy&) = default;
};

// The command-line syntax (--retry): KIND[:ARGS][,OPTION=VALUE...]
//   salesforce                      the default profile (options may still override)
//   fixed:30s                       every 30 s
//   linear:10s[,cap=1h]             10 s, 20 s, 30 s, ...
//   exponential:15s,2[,2h]          first, factor, optional cap (also cap=2h)
//   list:5s,5m,30m,2h,5h,10h        one interval per retry; expires after the last
// Options, in any order after the arguments: max_attempts=N, max_age=DURATION,
// jitter=FRACTION (0.1) or PERCENT (10%), cap=DURATION, retry_after=honor|ignore.
// Throws outbound::input_error(source, "", what was expected) naming the bad part.
retry_policy parse_retry_policy(std::string_view text, const std::string& source = "--retry");

// Scenario files: either the string form above, or an object
//   {"kind": "exponential", "base": "15s", "factor": 2, "cap": "2h", "jitter": 0.1,
//    "max_attempts": 10, "max_age": "24h", "retry_after": "honor"}
//   {"kind": "salesforce", "max_age": "48h"}
//   {"kind": "list", "intervals": ["5s", "5m", "30m"]}
// Unknown keys are errors. `path` is the JSON pointer of `j` in `file` ("/retry").
retry_policy retry_policy_from_json(const nlohmann::json& j, const std::string& file,
                                    const std::string& path);
nlohmann::json to_json(const retry_policy& p);  // the object form

}  // namespace outbound::sender
