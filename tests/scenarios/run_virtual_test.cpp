#include <gtest/gtest.h>

#include <algorithm>

#include "reports/render.hpp"
#include "scenarios/runner.hpp"
#include "tests/scenarios/library_helpers.hpp"

namespace outbound::scenarios {
namespace {

using nlohmann::json;

reports::run_report play(const scenario& s, std::optional<std::uint64_t> seed = {}) {
  manual_clock wall(default_start());
  run_options o;
  o.seed = seed;
  return run_virtual(s, o, wall).report;
}

class library_scenario : public testing::TestWithParam<const char*> {};

TEST_P(library_scenario, passes_in_virtual_time) {
  const scenario s = load_scenario(library(GetParam()));
  const auto r = play(s);
  std::size_t must_fire = 0;  // each fault with "expect_fired" is a check of its own
  for (const auto& e : s.endpoints)
    must_fire += std::count(e.expect_fired.begin(), e.expect_fired.end(), true);
  EXPECT_EQ(r.checks.size(), s.expectations.size() + s.actions.size() + must_fire);
  EXPECT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.clock, "virtual");
  EXPECT_EQ(r.name, s.name);
  EXPECT_GT(r.metrics.totals().notifications_accepted, 0u);
}

INSTANTIATE_TEST_SUITE_P(all, library_scenario,
                         testing::Values("sap_downtime.json", "slow_acks.json",
                                         "malformed_responses.json", "flapping_endpoint.json",
                                         "expiry_24h.json", "update_storm.json",
                                         "hung_listener.json", "failed_list_retried.json",
                                         "poison_record.json", "listener_rate_limited.json",
                                         "sender_restart_during_outage.json",
                                         "tls_certificate_expired.json"));

TEST(run_virtual, sap_downtime_tells_the_story) {
  const auto r = play(load_scenario(library("sap_downtime.json")));
  const auto& t = r.metrics.totals();
  EXPECT_GT(t.notifications_accepted, 2000u);
  EXPECT_EQ(t.notifications_delivered, t.notifications_accepted);
  EXPECT_GT(t.failures_by_class.at("refused"), 0u);
  EXPECT_GT(t.failures_by_class.at("http_status"), 0u);
  ASSERT_TRUE(r.drain_time);
  EXPECT_GT(*r.drain_time, std::chrono::minutes(30));
  EXPECT_LE(*r.drain_time, std::chrono::hours(2) + std::chrono::minutes(15));
  ASSERT_EQ(r.faults.size(), 2u);  // the refusal and the 503 windows
  EXPECT_EQ(r.faults[0].start, default_start() + std::chrono::hours(3));
  ASSERT_TRUE(r.ledger);
  EXPECT_EQ(r.ledger->unique, t.notifications_delivered);
  EXPECT_GT(r.ledger->faults_injected.at("refuse"), 0u);
}

// latency.per_attempt is each response's time: the 5979 refused connections of the outage are
// failures, not zero-time responses, so it measures what the report's response time shows.
TEST(run_virtual, per_attempt_latency_leaves_out_connections_that_were_refused) {
  json j = load_scenario(library("sap_downtime.json")).source;
  j["expectations"] = {{"latency", {{"per_attempt", {{"p50", "1h"}}}}}};
  const auto r = play(scenario_from_json(j, library("sap_downtime.json")));
  ASSERT_GT(r.metrics.totals().failures_by_class.at("refused"), 1000u);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].measured,
            reports::format_us(static_cast<double>(r.metrics.response_time().percentile(50))));
  EXPECT_GT(r.metrics.response_time().percentile(50), 50'000);  // the listener's ~150 ms
}

// report.json apart from the wall-clock fields.
json without_wall_clock(const reports::run_report& r) {
  json j = reports::to_json(r);
  j.erase("started");
  j.erase("finished");
  return j;
}

TEST(run_virtual, same_seed_same_report_byte_for_byte) {
  const scenario s = load_scenario(library("sap_downtime.json"));
  manual_clock wall_a(default_start()), wall_b(default_start() + std::chrono::hours(5));
  const auto a = run_virtual(s, {}, wall_a).report;
  const auto b = run_virtual(s, {}, wall_b).report;
  EXPECT_NE(reports::to_json(a).dump(), reports::to_json(b).dump());  // the wall clock differs
  EXPECT_EQ(without_wall_clock(a).dump(), without_wall_clock(b).dump());
  const auto c = play(s, 99);
  EXPECT_NE(without_wall_clock(a).dump(), without_wall_clock(c).dump());
  EXPECT_EQ(c.seed, 99u);
}

TEST(run_virtual, a_broken_expectation_fails_with_its_measured_value) {
  json j = load_scenario(library("malformed_responses.json")).source;
  j["expectations"]["delivered"] = 199;
  j["expectations"]["attempts_per_notification_at_most"] = 1;
  const auto r = play(scenario_from_json(j, library("malformed_responses.json")));
  EXPECT_FALSE(r.passed());
  std::vector<std::string> failed;
  for (const auto& c : r.checks)
    if (!c.passed) failed.push_back(c.name + "=" + c.measured);
  EXPECT_EQ(failed.size(), 2u) << failures(r);
  EXPECT_EQ(failed.at(0), "delivered=200");
  EXPECT_EQ(failed.at(1).rfind("attempts_per_notification_at_most=", 0), 0u);
}

// The report's first warning after Ctrl-C says how far the run got in units people read
// (issue 13: never "12s377ms" or "12s37709us").
TEST(run_virtual, an_interrupted_run_says_how_far_it_got_in_human_units) {
  const auto w = interrupted_warning(std::chrono::microseconds(12'377'090));
  EXPECT_EQ(w.rfind("interrupted 12.4s into the scenario", 0), 0u) << w;
  const auto long_run = interrupted_warning(std::chrono::seconds(4 * 3600 + 16 * 60 + 7));
  EXPECT_EQ(long_run.rfind("interrupted 4h16m", 0), 0u) << long_run;
}

// The progress line of `outbound run`: human units (never "1h2m3s456789us"), what is left of the
// workload, the delivery rate and the failed attempts; "draining" once the workload has ended.
TEST(run_virtual, the_progress_line_shows_time_left_rate_and_errors_in_human_units) {
  run_progress p;
  p.simulated = std::chrono::microseconds(3'723'456'789);  // 1h02m03.456789s
  p.length = std::chrono::hours(10);
  p.accepted = 900;
  p.delivered = 744;
  p.failed_attempts = 31;
  const auto line = progress_text(p, std::chrono::microseconds(3'201'234));
  EXPECT_EQ(line,
            "simulated 1h02m, 8h58m left  wall 3.20s  accepted 900  delivered 744 (12.0/m)  "
            "failed attempts 31")
      << line;
  p.real_clock = true;  // --clock real: the time is wall time, said once
  EXPECT_EQ(progress_text(p, std::chrono::microseconds(3'723'456'789)),
            "elapsed 1h02m, 8h58m left  accepted 900  delivered 744 (12.0/m)  failed attempts 31");
  p.real_clock = false;
  p.simulated = std::chrono::hours(11);
  EXPECT_NE(progress_text(p, std::chrono::seconds(4)).find("simulated 11h, draining"),
            std::string::npos)
      << progress_text(p, std::chrono::seconds(4));
}

// The report's parameters keep durations as the scenario wrote them (issue 13: "keep the user's
// name"): "120s" stays "120s", not "2m"; a default is computed.
TEST(run_virtual, parameters_keep_durations_as_written) {
  json j = load_scenario(library("malformed_responses.json")).source;
  j["run_until"] = "120s";
  const auto r = play(scenario_from_json(j, library("malformed_responses.json")));
  EXPECT_EQ(r.parameters["duration"], "5s");
  EXPECT_EQ(r.parameters["run_until"], "120s");
  j.erase("run_until");
  const auto d = play(scenario_from_json(j, library("malformed_responses.json")));
  EXPECT_EQ(d.parameters["run_until"], "1d2h5s");  // 26 h after the 5 s workload, by default
}

TEST(run_virtual, stops_at_run_until_and_reports_what_is_left) {
  json j = load_scenario(library("expiry_24h.json")).source;
  j["run_until"] = j["duration"] = "10h";
  j["definitions"][0]["workload"]["changes"].erase(1);  // the changes after 31 h
  j["expectations"] = {{"nothing_lost", true}, {"final_status", {{"retrying", {{"min", 1}}}}}};
  const auto r = play(scenario_from_json(j, library("expiry_24h.json")));
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_FALSE(r.checks[0].passed);  // still retrying: not settled
  EXPECT_TRUE(r.checks[1].passed) << failures(r);
  EXPECT_EQ(r.simulated_end - r.simulated_start, std::chrono::hours(10));
  // Pending notifications are in the attempts histogram too (with their attempts so far).
  EXPECT_GT(r.status.counts.retrying, 0u);
  EXPECT_EQ(r.metrics.attempts().count(), r.metrics.totals().notifications_accepted);
}

// A malformed_responses variant with one more fault whose window no request reaches.
json with_a_fault_that_cannot_fire(bool expect_fired) {
  json j = load_scenario(library("malformed_responses.json")).source;
  json late = {{"kind", "nack"}, {"after", "1m"}, {"for", "10s"}};
  if (expect_fired) late["expect_fired"] = true;
  j["endpoints"][0]["faults"].push_back(late);
  j["endpoints"][0]["faults"][0]["expect_fired"] = true;
  return j;
}

TEST(run_virtual, reports_how_often_each_fault_fired_and_warns_of_one_that_never_did) {
  const auto r = play(scenario_from_json(with_a_fault_that_cannot_fire(false), library("x.json")));
  EXPECT_TRUE(r.passed()) << failures(r);
  ASSERT_EQ(r.fault_entries.size(), 7u);
  std::uint64_t nacks = 0;
  for (const auto& e : r.fault_entries) {
    EXPECT_EQ(e.endpoint, "proxy");
    if (e.label.find("nack") != std::string::npos) nacks += e.fired;
  }
  EXPECT_GT(r.fault_entries[0].fired, 0u);
  EXPECT_TRUE(r.fault_entries[0].expect_fired);
  EXPECT_EQ(r.fault_entries[6].fired, 0u);
  EXPECT_EQ(nacks, r.ledger->faults_injected.at("nack"));
  ASSERT_EQ(r.warnings.size(), 1u);  // the fault (the https endpoint is served over TLS)
  EXPECT_NE(r.warnings[0].find("/endpoints/0/faults/6 (proxy: nack) never fired"),
            std::string::npos)
      << r.warnings[0];
  // The fault that fired and had to passes as a check of its own.
  EXPECT_EQ(r.checks.back().name, "fired.proxy.0");
  EXPECT_TRUE(r.checks.back().passed);
}

TEST(run_virtual, a_fault_that_must_fire_and_never_did_fails_the_run) {
  const auto r = play(scenario_from_json(with_a_fault_that_cannot_fire(true), library("x.json")));
  EXPECT_FALSE(r.passed());
  const auto& c = r.checks.back();
  EXPECT_EQ(c.name, "fired.proxy.6");
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.measured, "0");
}

TEST(run_virtual, drain_time_is_never_negative) {
  json j = load_scenario(library("malformed_responses.json")).source;
  // A window long after the last delivery: everything drained before the "recovery".
  j["endpoints"][0]["faults"] = {{{"kind", "nack"}, {"after", "1m"}, {"for", "30s"}}};
  const auto r = play(scenario_from_json(j, library("x.json")));
  ASSERT_TRUE(r.drain_time);
  EXPECT_EQ(*r.drain_time, duration{});
}

}  // namespace
}  // namespace outbound::scenarios
