#include "scenarios/expectations.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"

namespace outbound::scenarios {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Expectations as a scenario file would have them.
std::vector<expectation> read(const json& expectations) {
  json j = json::parse(R"({
    "name": "t", "duration": "1h",
    "endpoints": [{"name": "erp"}],
    "definitions": [{"definition": {"full_name": "A", "object": "Account", "fields": ["Name"],
                                    "endpoint_url": "https://erp.example.com/"}, "endpoint": "erp"}]
  })");
  j["expectations"] = expectations;
  return scenario_from_json(j, "s.json").expectations;
}

// A healthy run: 100 accepted and delivered, 2 attempts at most, latencies 1..100 s.
measurements healthy() {
  measurements m;
  auto& d = m.total;
  d.accepted = d.delivered = 100;
  d.messages = 12;
  d.max_attempts = 2;
  for (int i = 1; i <= 100; ++i) {
    d.end_to_end.record(duration(std::chrono::seconds(i)));
    d.per_attempt.record(duration(std::chrono::milliseconds(i)));
  }
  d.worst_drain = 30min;
  d.final_status[sender::state::delivered] = 100;
  m.by_definition["A"] = d;
  m.duplicates = 3;
  m.stale = 0;
  sender::state_counts during;
  during[sender::state::retrying] = 40;
  m.snapshots.push_back({2h, "", during});
  m.snapshots.push_back({2h, "A", during});
  return m;
}

// Evaluates the one expectation read from `j` against `m`.
reports::check_result judge(const json& j, const measurements& m) {
  auto list = read(j);
  EXPECT_EQ(list.size(), 1u);
  return evaluate(list.at(0), m);
}

void expect_pass_then_fail(const json& passing, const json& failing, const measurements& m) {
  auto p = judge(passing, m);
  EXPECT_TRUE(p.passed) << passing.dump() << ": " << p.measured << " vs " << p.expected;
  auto f = judge(failing, m);
  EXPECT_FALSE(f.passed) << failing.dump() << ": " << f.measured << " vs " << f.expected;
  EXPECT_EQ(p.name, f.name);
}

TEST(expectations, nothing_lost) {
  measurements m = healthy();
  auto r = judge({{"nothing_lost", true}}, m);
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.measured, "0 lost of 100");
  m.total.delivered = 97;
  m.total.dropped = 2;  // and one never settled
  r = judge({{"nothing_lost", true}}, m);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.measured, "3 lost of 100");
  EXPECT_NE(r.message.find("2 dropped, 1 never settled"), std::string::npos);
  m = healthy();
  m.total.not_in_ledger = 1;
  EXPECT_FALSE(judge({{"nothing_lost", true}}, m).passed);
  m = healthy();
  m.total.delivered = 90;
  m.total.failed = 10;  // dead-lettered is accounted for
  EXPECT_TRUE(judge({{"nothing_lost", true}}, m).passed);
}

TEST(expectations, counts_exact_and_bounded) {
  const measurements m = healthy();
  expect_pass_then_fail({{"delivered", 100}}, {{"delivered", 99}}, m);
  expect_pass_then_fail({{"accepted", {{"min", 100}}}}, {{"accepted", {{"min", 101}}}}, m);
  expect_pass_then_fail({{"failed", 0}}, {{"failed", {{"min", 1}}}}, m);
  expect_pass_then_fail({{"dropped", {{"max", 0}}}}, {{"dropped", {{"min", 1}, {"max", 5}}}}, m);
  expect_pass_then_fail({{"messages", {{"max", 12}}}}, {{"messages", {{"max", 11}}}}, m);
  expect_pass_then_fail({{"duplicates", {{"min", 1}}}}, {{"duplicates", 0}}, m);
  expect_pass_then_fail({{"stale", 0}}, {{"stale", {{"min", 1}}}}, m);
  auto r = judge({{"delivered", {{"min", 1}, {"max", 9}}}}, m);
  EXPECT_EQ(r.expected, "1..9");
  EXPECT_EQ(r.measured, "100");
}

TEST(expectations, at_most_kinds) {
  const measurements m = healthy();
  expect_pass_then_fail({{"duplicates_at_most", 3}}, {{"duplicates_at_most", 2}}, m);
  EXPECT_TRUE(judge({{"stale_at_most", 0}}, m).passed);
  measurements stale = healthy();
  stale.stale = 1;
  EXPECT_FALSE(judge({{"stale_at_most", 0}}, stale).passed);
  expect_pass_then_fail({{"attempts_per_notification_at_most", 2}},
                        {{"attempts_per_notification_at_most", 1}}, m);
  EXPECT_EQ(judge({{"duplicates_at_most", 2}}, m).expected, "<= 2");
}

TEST(expectations, all_delivered_within) {
  measurements m = healthy();
  expect_pass_then_fail({{"all_delivered_within", "30m"}}, {{"all_delivered_within", "29m"}}, m);
  m.total.delivered = 99;
  auto r = judge({{"all_delivered_within", "2h"}}, m);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.measured, "1 not delivered");
}

TEST(expectations, latency_percentiles) {
  const measurements m = healthy();
  expect_pass_then_fail({{"latency", {{"end_to_end", {{"p50", "51s"}}}}}},
                        {{"latency", {{"end_to_end", {{"p50", "49s"}}}}}}, m);
  expect_pass_then_fail({{"latency", {{"end_to_end", {{"max", "100s"}}}}}},
                        {{"latency", {{"end_to_end", {{"max", "99s"}}}}}}, m);
  expect_pass_then_fail({{"latency", {{"per_attempt", {{"p99.9", "100ms"}}}}}},
                        {{"latency", {{"per_attempt", {{"p99.9", "90ms"}}}}}}, m);
  EXPECT_EQ(judge({{"latency", {{"end_to_end", {{"p99", "5m"}}}}}}, m).name,
            "latency.end_to_end.p99");
  EXPECT_FALSE(judge({{"latency", {{"end_to_end", {{"p99", "5m"}}}}}}, measurements{}).passed);
}

TEST(expectations, final_status) {
  const measurements m = healthy();
  expect_pass_then_fail({{"final_status", {{"delivered", 100}}}},
                        {{"final_status", {{"delivered", {{"max", 99}}}}}}, m);
  EXPECT_FALSE(judge({{"final_status", {{"retrying", {{"min", 1}}}}}}, m).passed);
  EXPECT_EQ(judge({{"final_status", {{"queued", 0}}}}, m).name, "final_status.queued");
}

TEST(expectations, during_a_run) {
  const measurements m = healthy();
  expect_pass_then_fail({{"during", {{{"at", "2h"}, {"status", {{"retrying", {{"min", 40}}}}}}}}},
                        {{"during", {{{"at", "2h"}, {"status", {{"retrying", {{"min", 41}}}}}}}}},
                        m);
  auto r = judge({{"during", {{{"at", "3h"}, {"status", {{"retrying", 0}}}}}}}, m);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.name, "during.3h.retrying");
  EXPECT_EQ(r.measured, "no snapshot");
  // The check keeps the user's spelling of the time.
  EXPECT_EQ(judge({{"during", {{{"at", "27h"}, {"status", {{"retrying", 0}}}}}}}, m).name,
            "during.27h.retrying");
  EXPECT_EQ(judge({{"during", {{{"at", "90m"}, {"status", {{"retrying", 0}}}}}}}, m).name,
            "during.90m.retrying");
}

TEST(expectations, scoped_to_one_definition) {
  measurements m = healthy();
  m.by_definition["A"].failed = 4;
  auto list = read({{"definitions", {{"A", {{"failed", 4}, {"nothing_lost", true}}}}}});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "A.nothing_lost");
  EXPECT_EQ(list[1].name, "A.failed");
  EXPECT_EQ(list[1].definition, "A");
  EXPECT_TRUE(evaluate(list[1], m).passed);
  m.by_definition["A"].failed = 3;
  EXPECT_FALSE(evaluate(list[1], m).passed);
}

TEST(expectations, attempts_with_a_minimum) {
  const measurements m = healthy();  // the most-tried notification took 2 attempts
  expect_pass_then_fail({{"attempts_per_notification", {{"min", 2}}}},
                        {{"attempts_per_notification", {{"min", 3}}}}, m);
  expect_pass_then_fail({{"attempts_per_notification", 2}}, {{"attempts_per_notification", 1}}, m);
  EXPECT_EQ(judge({{"attempts_per_notification", {{"min", 2}, {"max", 4}}}}, m).expected, "2..4");
}

TEST(expectations, latency_with_a_minimum) {
  const measurements m = healthy();  // end to end 1..100 s
  expect_pass_then_fail({{"latency", {{"end_to_end", {{"max", {{"min", "99s"}}}}}}}},
                        {{"latency", {{"end_to_end", {{"max", {{"min", "101s"}}}}}}}}, m);
  expect_pass_then_fail(
      {{"latency", {{"end_to_end", {{"p50", {{"min", "40s"}, {"max", "60s"}}}}}}}},
      {{"latency", {{"end_to_end", {{"p50", {{"min", "55s"}, {"max", "60s"}}}}}}}}, m);
  auto r = judge({{"latency", {{"end_to_end", {{"p50", {{"min", "40s"}, {"max", "1m"}}}}}}}}, m);
  EXPECT_EQ(r.expected, "40s..1m");
  EXPECT_EQ(judge({{"latency", {{"end_to_end", {{"p50", {{"min", "4s"}}}}}}}}, m).expected,
            ">= 4s");
}

TEST(expectations, drain_time_both_ways) {
  measurements m = healthy();
  m.drain_time = 45min;
  expect_pass_then_fail({{"drain_time", "45m"}}, {{"drain_time", "44m"}}, m);
  expect_pass_then_fail({{"drain_time", {{"min", "30m"}}}}, {{"drain_time", {{"min", "46m"}}}}, m);
  expect_pass_then_fail({{"drain_time", {{"min", "30m"}, {"max", "1h"}}}},
                        {{"drain_time", {{"min", "50m"}, {"max", "1h"}}}}, m);
  m.drain_time.reset();  // nothing was held up: no drain at all
  EXPECT_FALSE(judge({{"drain_time", {{"min", "1s"}}}}, m).passed);
  EXPECT_TRUE(judge({{"drain_time", "0s"}}, m).passed);
}

TEST(expectations, failure_classes_and_reasons) {
  measurements m = healthy();
  m.total.failures_by_class = {{"refused", 7}, {"http_status", 3}};
  m.total.failures_by_reason = {{"java.net.ConnectException: Connection refused", 7},
                                {"(503)Service Unavailable", 2},
                                {"(429)Too Many Requests", 1}};
  expect_pass_then_fail({{"failures", {{"refused", 7}}}}, {{"failures", {{"refused", 6}}}}, m);
  expect_pass_then_fail({{"failures", {{"timeout", 0}}}},
                        {{"failures", {{"timeout", {{"min", 1}}}}}}, m);
  expect_pass_then_fail({{"failure_reasons", {{"Service Unavailable", 2}}}},
                        {{"failure_reasons", {{"Service Unavailable", {{"min", 3}}}}}}, m);
  // A pattern counts every reason it matches.
  expect_pass_then_fail({{"failure_reasons", {{"^\\((503|429)\\)", 3}}}},
                        {{"failure_reasons", {{"^\\((503|429)\\)", 2}}}}, m);
  EXPECT_EQ(judge({{"failures", {{"refused", 7}}}}, m).name, "failures.refused");
}

TEST(expectations, injected_faults) {
  measurements m = healthy();
  m.total.faults_injected = {{"stall", 4}};
  expect_pass_then_fail({{"faults_injected", {{"stall", 4}}}},
                        {{"faults_injected", {{"stall", {{"min", 5}}}}}}, m);
  expect_pass_then_fail({{"faults_injected", {{"refuse", 0}}}},
                        {{"faults_injected", {{"refuse", {{"min", 1}}}}}}, m);
}

TEST(expectations, scoped_to_one_endpoint) {
  measurements m = healthy();
  auto& erp = m.by_endpoint["erp"];
  erp.delivered = 60;
  erp.duplicates = 1;
  erp.stale = 2;
  erp.faults_injected = {{"refuse", 1}};
  const json passing = {{"endpoints",
                         {{"erp",
                           {{"delivered", 60},
                            {"duplicates", 1},
                            {"stale_at_most", 2},
                            {"faults_injected", {{"refuse", 1}}}}}}}};
  auto list = read(passing);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].name, "endpoints.erp.delivered");
  EXPECT_EQ(list[0].endpoint, "erp");
  for (const auto& e : list) EXPECT_TRUE(evaluate(e, m).passed) << e.name;
  erp.delivered = 59;
  erp.duplicates = 0;
  erp.stale = 3;
  erp.faults_injected.clear();
  for (const auto& e : list) EXPECT_FALSE(evaluate(e, m).passed) << e.name;
}

TEST(expectations, duplicates_and_stale_of_one_definition) {
  measurements m = healthy();  // 3 duplicates over all listeners
  m.by_definition["A"].duplicates = 1;
  m.by_definition["A"].stale = 0;
  expect_pass_then_fail({{"definitions", {{"A", {{"duplicates", 1}}}}}},
                        {{"definitions", {{"A", {{"duplicates", 3}}}}}}, m);
  expect_pass_then_fail({{"definitions", {{"A", {{"stale", 0}}}}}},
                        {{"definitions", {{"A", {{"stale", {{"min", 1}}}}}}}}, m);
}

TEST(expectations, newest_values_at_the_listener) {
  measurements m = healthy();
  m.total.records_checked = 10;
  auto r = judge({{"newest_values_delivered", true}}, m);
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.measured, "0 of 10 not newest");
  m.total.records_not_newest = 1;
  m.total.first_not_newest = "0015g0000000003";
  r = judge({{"newest_values_delivered", true}}, m);
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("0015g0000000003"), std::string::npos);
  EXPECT_TRUE(needs_record_data(read({{"newest_values_delivered", true}})));
  EXPECT_FALSE(needs_record_data(read({{"delivered", 1}})));
}

// Every new key refuses what it cannot use, naming the field (exit 2 at the command line).
TEST(expectations, bad_values_name_the_field) {
  auto error_path = [](const json& e) {
    try {
      read(e);
    } catch (const input_error& x) {
      return x.path();
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_path({{"failures", {{"refuse", 1}}}}), "/expectations/failures/refuse");
  EXPECT_EQ(error_path({{"failure_reasons", {{"(unclosed", 1}}}}),
            "/expectations/failure_reasons/(unclosed");
  EXPECT_EQ(error_path({{"faults_injected", {{"reset", 1}}}}),
            "/expectations/faults_injected/reset");
  EXPECT_EQ(error_path({{"endpoints", {{"nope", {{"delivered", 1}}}}}}),
            "/expectations/endpoints/nope");
  EXPECT_EQ(error_path({{"endpoints", {{"erp", {{"final_status", {{"queued", 0}}}}}}}}),
            "/expectations/endpoints/erp/final_status");
  EXPECT_EQ(error_path({{"definitions", {{"A", {{"drain_time", "1h"}}}}}}),
            "/expectations/definitions/A/drain_time");
  EXPECT_EQ(error_path({{"drain_time", {{"min", "2h"}, {"max", "1h"}}}}),
            "/expectations/drain_time/max");
  EXPECT_EQ(error_path({{"latency", {{"end_to_end", {{"p99", 5}}}}}}),
            "/expectations/latency/end_to_end/p99");
  EXPECT_EQ(error_path({{"attempts_per_notification", {{"least", 1}}}}),
            "/expectations/attempts_per_notification/least");
}

// A definition that shares its endpoint cannot have a stale count of its own.
TEST(expectations, stale_of_a_definition_needs_its_own_endpoint) {
  json j = json::parse(R"({
    "name": "t", "duration": "1h",
    "endpoints": [{"name": "erp"}],
    "definitions": [
      {"definition": {"full_name": "A", "object": "Account", "fields": ["Name"],
                      "endpoint_url": "https://erp.example.com/"}, "endpoint": "erp"},
      {"definition": {"full_name": "B", "object": "Account", "fields": ["Name"],
                      "endpoint_url": "https://erp.example.com/"}, "endpoint": "erp"}],
    "expectations": {"definitions": {"A": {"stale": 0}}}
  })");
  try {
    scenario_from_json(j, "s.json");
    FAIL() << "accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.path(), "/expectations/definitions/A/stale");
  }
  j["expectations"] = {{"definitions", {{"A", {{"duplicates", 0}}}}}};
  EXPECT_NO_THROW(scenario_from_json(j, "s.json"));
}

TEST(expectations, snapshot_times_are_sorted_and_unique) {
  auto list = read({{"during",
                     {{{"at", "3h"}, {"status", {{"retrying", 0}}}},
                      {{"at", "1h"}, {"status", {{"retrying", 0}, {"queued", 0}}}},
                      {{"at", "3h"}, {"status", {{"failed", 0}}}}}}});
  EXPECT_EQ(snapshot_times(list), (std::vector<duration>{1h, 3h}));
}

TEST(expectations, percentile_names) {
  EXPECT_EQ(percentile_name(99), "p99");
  EXPECT_EQ(percentile_name(99.9), "p99.9");
  EXPECT_EQ(percentile_name(100), "max");
}

}  // namespace
}  // namespace outbound::scenarios
