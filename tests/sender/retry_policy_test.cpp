#include "sender/retry_policy.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/input_error.hpp"

namespace outbound::sender {
namespace {

using namespace std::chrono_literals;

const time_point t0 = *parse_timestamp("2026-01-05T09:00:00Z");

TEST(retry_policy, salesforce_doubles_from_15s_up_to_2h) {
  auto p = retry_policy::salesforce();
  EXPECT_EQ(*p.interval(1), 15s);
  EXPECT_EQ(*p.interval(2), 30s);
  EXPECT_EQ(*p.interval(3), 60s);
  EXPECT_EQ(*p.interval(9), 15s * 256);  // 64 min
  EXPECT_EQ(*p.interval(10), 2h);        // 128 min capped to 120
  EXPECT_EQ(*p.interval(40), 2h);
  EXPECT_EQ(*p.max_age, 24h);
  EXPECT_DOUBLE_EQ(p.jitter, 0.1);
}

TEST(retry_policy, jitter_stays_within_ten_percent_and_under_the_cap) {
  auto p = retry_policy::salesforce();
  random rng(1);
  duration lo = 1h, hi = 0s;
  for (int i = 0; i < 2000; ++i) {
    auto next = p.next_attempt(1, t0, t0, rng);
    ASSERT_TRUE(next);
    lo = std::min(lo, *next - t0);
    hi = std::max(hi, *next - t0);
    auto capped = p.next_attempt(20, t0, t0 + 1h, rng);
    ASSERT_TRUE(capped);
    EXPECT_LE(*capped - (t0 + 1h), 2h);
    EXPECT_GE(*capped - (t0 + 1h), 2h * 0.9);
  }
  EXPECT_GE(lo, 13500ms);
  EXPECT_LE(hi, 16500ms);
  EXPECT_LT(lo, 14s);  // the spread is really used
  EXPECT_GT(hi, 16s);
}

TEST(retry_policy, same_seed_same_schedule) {
  auto p = retry_policy::salesforce();
  random a(9), b(9);
  for (int n = 1; n < 10; ++n)
    EXPECT_EQ(p.next_attempt(n, t0, t0, a), p.next_attempt(n, t0, t0, b));
}

TEST(retry_policy, the_last_attempt_falls_on_max_age_and_a_failure_then_expires) {
  auto p = parse_retry_policy("fixed:1h,max_age=24h");
  random rng(1);
  EXPECT_EQ(p.next_attempt(5, t0, t0 + 22h, rng), t0 + 23h);
  EXPECT_EQ(p.next_attempt(5, t0, t0 + 23h, rng), t0 + 24h);       // exactly at the deadline
  EXPECT_EQ(p.next_attempt(5, t0, t0 + 23h + 1s, rng), t0 + 24h);  // moved to the deadline
  EXPECT_FALSE(p.next_attempt(6, t0, t0 + 24h, rng));              // failed at 24 h: expires
  EXPECT_FALSE(p.next_attempt(6, t0, t0 + 25h, rng));
}

TEST(retry_policy, salesforce_gives_up_after_24_hours_of_failures) {
  auto p = retry_policy::salesforce();
  p.jitter = 0;
  random rng(1);
  time_point now = t0;
  int attempts = 1;
  while (auto next = p.next_attempt(attempts, t0, now, rng)) {
    now = *next;
    ++attempts;
  }
  // 15s..64min sum to about 2h8m, then 2h steps up to 22h8m, and a last attempt at 24h.
  EXPECT_EQ(now - t0, 24h);
  EXPECT_EQ(attempts, 21);
}

TEST(retry_policy, max_attempts_counts_failed_attempts) {
  auto p = parse_retry_policy("fixed:30s,max_attempts=3");
  random rng(1);
  EXPECT_TRUE(p.next_attempt(1, t0, t0, rng));
  EXPECT_TRUE(p.next_attempt(2, t0, t0, rng));
  EXPECT_FALSE(p.next_attempt(3, t0, t0, rng));
}

TEST(retry_policy, linear_exponential_and_list) {
  auto lin = parse_retry_policy("linear:10s,cap=25s");
  EXPECT_EQ(*lin.interval(1), 10s);
  EXPECT_EQ(*lin.interval(2), 20s);
  EXPECT_EQ(*lin.interval(3), 25s);
  auto exp = parse_retry_policy("exponential:1s,3,1m");
  EXPECT_EQ(*exp.interval(1), 1s);
  EXPECT_EQ(*exp.interval(3), 9s);
  EXPECT_EQ(*exp.interval(5), 1min);
  auto list = parse_retry_policy("list:5s,5m,30m,2h,5h,10h");
  EXPECT_EQ(*list.interval(1), 5s);
  EXPECT_EQ(*list.interval(6), 10h);
  EXPECT_FALSE(list.interval(7));
  random rng(1);
  EXPECT_FALSE(list.next_attempt(7, t0, t0, rng));
  EXPECT_EQ(*list.next_attempt(2, t0, t0, rng), t0 + 5min);
}

TEST(retry_policy, string_form_round_trips) {
  for (const char* text :
       {"salesforce", "fixed:30s", "linear:10s,cap=1h", "exponential:15s,2,cap=2h",
        "list:5s,5m,30m,max_attempts=4,max_age=1d", "salesforce,max_age=2d", "fixed:1s,jitter=0.25",
        "salesforce,retry_after=honor"}) {
    auto p = parse_retry_policy(text);
    EXPECT_EQ(parse_retry_policy(p.to_string()), p) << text << " -> " << p.to_string();
  }
  EXPECT_EQ(parse_retry_policy("salesforce"), retry_policy::salesforce());
  EXPECT_EQ(parse_retry_policy("exponential:15s,2,2h").cap, 2h);
  EXPECT_DOUBLE_EQ(parse_retry_policy("fixed:1s,jitter=10%").jitter, 0.1);
  EXPECT_TRUE(parse_retry_policy("salesforce,retry_after=honor").honor_retry_after);
  EXPECT_FALSE(parse_retry_policy("fixed:1s,retry_after=ignore").honor_retry_after);
  EXPECT_FALSE(retry_policy::salesforce().honor_retry_after);
}

TEST(retry_policy, honoring_retry_after_waits_at_least_as_asked_and_still_expires_on_time) {
  random rng(1);
  const auto ignore = parse_retry_policy("fixed:15s,max_age=24h");
  const auto honor = parse_retry_policy("fixed:15s,max_age=24h,cap=1m,retry_after=honor");
  EXPECT_EQ(ignore.next_attempt(1, t0, t0, rng, 10min), t0 + 15s);   // ignored by default
  EXPECT_EQ(honor.next_attempt(1, t0, t0, rng, 10min), t0 + 10min);  // longer: waited for
  EXPECT_EQ(honor.next_attempt(1, t0, t0, rng, 5s), t0 + 15s);       // shorter: the schedule
  EXPECT_EQ(honor.next_attempt(1, t0, t0, rng, std::nullopt), t0 + 15s);
  // Never past the last attempt max_age allows.
  EXPECT_EQ(honor.next_attempt(3, t0, t0 + 23h, rng, 5h), t0 + 24h);
  EXPECT_FALSE(honor.next_attempt(4, t0, t0 + 24h, rng, 1s));
}

std::string parse_error(const std::string& text) {
  try {
    parse_retry_policy(text);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(retry_policy, string_errors_say_what_was_expected) {
  EXPECT_NE(parse_error("weekly").find("salesforce, fixed, linear, exponential or list"),
            std::string::npos);
  EXPECT_NE(parse_error("fixed:soon").find("a duration such as 15s"), std::string::npos);
  EXPECT_NE(parse_error("fixed").find("fixed:30s"), std::string::npos);
  EXPECT_NE(parse_error("exponential:15s").find("exponential:15s,2[,2h]"), std::string::npos);
  EXPECT_NE(parse_error("exponential:15s,x").find("a number such as 2"), std::string::npos);
  EXPECT_NE(parse_error("exponential:15s,0.5").find("factor between 1 and 1000"),
            std::string::npos);
  EXPECT_NE(parse_error("fixed:30s,max_attempts=0").find("at least 1"), std::string::npos);
  EXPECT_NE(parse_error("fixed:30s,colour=red").find("max_attempts=N"), std::string::npos);
  EXPECT_NE(parse_error("fixed:30s,jitter=1.5").find("jitter"), std::string::npos);
  EXPECT_NE(parse_error("list:").find("list:5s,5m,30m,2h"), std::string::npos);
  EXPECT_NE(parse_error("fixed:0s").find("positive"), std::string::npos);
  EXPECT_NE(parse_error("fixed:30s,retry_after=always").find("honor or ignore"), std::string::npos);
}

TEST(retry_policy, json_object_and_string_forms) {
  auto j = nlohmann::json::parse(
      R"({"kind": "exponential", "base": "15s", "factor": 2, "cap": "2h", "jitter": 0.1,
          "max_age": "24h"})");
  auto p = retry_policy_from_json(j, "s.json", "/retry");
  auto sf = retry_policy::salesforce();
  EXPECT_EQ(p.base, sf.base);
  EXPECT_EQ(p.cap, sf.cap);
  EXPECT_EQ(p.max_age, sf.max_age);
  EXPECT_EQ(retry_policy_from_json("salesforce", "s.json", "/retry"), sf);
  EXPECT_EQ(retry_policy_from_json(nlohmann::json{{"kind", "salesforce"}}, "s.json", "/retry"), sf);
  auto list = retry_policy_from_json(
      nlohmann::json::parse(R"({"kind": "list", "intervals": ["5s", "5m"], "max_attempts": 2})"),
      "s.json", "/retry");
  EXPECT_EQ(list.intervals.size(), 2u);
  EXPECT_TRUE(retry_policy_from_json(
                  nlohmann::json::parse(R"({"kind": "salesforce", "retry_after": "honor"})"),
                  "s.json", "/retry")
                  .honor_retry_after);
  for (const auto& q : {sf, p, list, parse_retry_policy("linear:10s,cap=1h"),
                        parse_retry_policy("salesforce,retry_after=honor")})
    EXPECT_EQ(retry_policy_from_json(to_json(q), "s.json", "/r"), q) << to_json(q).dump();
}

std::string json_error(const std::string& text) {
  try {
    retry_policy_from_json(nlohmann::json::parse(text), "s.json", "/retry");
  } catch (const input_error& e) {
    return e.file() + " " + e.path() + ": " + e.expected();
  }
  return "no error";
}

TEST(retry_policy, json_errors_name_the_path) {
  EXPECT_EQ(json_error("42").substr(0, 14), "s.json /retry:");
  EXPECT_NE(json_error(R"({"base": "15s"})").find("/retry/kind"), std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "fixed", "base": "15s", "colour": 1})").find("/retry/colour"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "fixed", "base": 15})").find("/retry/base"), std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "fixed"})").find("/retry/base"), std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "list", "intervals": ["5s", "x"]})").find("/retry/intervals/1"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "fixed", "base": "1s", "max_attempts": 0})")
                .find("/retry/max_attempts"),
            std::string::npos);
  EXPECT_NE(json_error(R"("fixed:later")").find("s.json /retry"), std::string::npos);
  EXPECT_NE(json_error(R"({"kind": "salesforce", "retry_after": true})").find("/retry/retry_after"),
            std::string::npos);
}

}  // namespace
}  // namespace outbound::sender
