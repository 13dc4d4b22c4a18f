// The stories users tell, each on both clocks: status page actions at a time, faults that depend
// on the request (a poison record, a listener's rate or concurrency limit), a second definition
// on one object, and the expectations that check them.
#include <gtest/gtest.h>

#include "common/event_loop.hpp"
#include "common/input_error.hpp"
#include "reports/render.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/session.hpp"
#include "scenarios/virtual_transport.hpp"
#include "sender/destination.hpp"
#include "soap/ids.hpp"
#include "tests/scenarios/library_helpers.hpp"

namespace outbound::scenarios {
namespace {

using nlohmann::json;

reports::run_report play(const scenario& s) {
  manual_clock wall(default_start());
  return run_virtual(s, {}, wall).report;
}

reports::run_report play_real(const scenario& s) {
  system_clock wall;
  run_options real;
  real.clock = clock_kind::real;
  return run_scenario(s, real, wall).report;
}

reports::run_report play(const json& j) {
  return play(scenario_from_json(j, library("x.json")));
}

const reports::check_result& check(const reports::run_report& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return c;
  static const reports::check_result none{"(missing)", false, "", "", ""};
  ADD_FAILURE() << "no check " << name << " in\n" << failures(r);
  return none;
}

json source(const char* name) {
  return load_scenario(library(name)).source;
}

// --- user actions ---------------------------------------------------------------------------

TEST(stories, the_failed_list_retried_delivers_what_was_failed) {
  const auto r = play(load_scenario(library("failed_list_retried.json")));
  EXPECT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.status.counts.delivered, 9u);
  EXPECT_EQ(r.status.counts.deleted, 1u);
  EXPECT_EQ(r.metrics.totals().notifications_deleted, 1u);  // the summary and report say so too
  EXPECT_EQ(check(r, "actions.2.retry_failed").measured, "8 retried");
  EXPECT_TRUE(check(r, "actions.0.delete").passed);
  EXPECT_TRUE(check(r, "actions.1.retry").passed);
}

TEST(stories, without_the_user_the_failed_list_stays_failed) {
  json j = source("failed_list_retried.json");
  j.erase("actions");
  const auto r = play(j);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.status.counts.failed, 10u);
  EXPECT_FALSE(check(r, "delivered").passed);
  EXPECT_FALSE(check(r, "deleted").passed);
}

TEST(stories, an_action_with_nothing_to_act_on_fails_the_run) {
  json j = source("failed_list_retried.json");
  // At 100 ms nothing has failed yet: the button does nothing, and the run says so.
  j["actions"] = {{{"at", "100ms"}, {"do", "retry_failed"}},
                  {{"at", "200ms"}, {"do", "delete"}, {"state", "failed"}},
                  {{"at", "300ms"}, {"do", "retry"}, {"notification", "04l000000000099AAA"}}};
  j["expectations"] = {{"accepted", 10}};
  const auto r = play(j);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(check(r, "actions.0.retry_failed").measured, "0 retried");
  EXPECT_FALSE(check(r, "actions.1.delete").passed);
  EXPECT_FALSE(check(r, "actions.2.retry").passed);
  EXPECT_TRUE(check(r, "accepted").passed);
}

TEST(stories, actions_name_their_mistakes) {
  auto error_path = [](json actions) {
    json j = source("failed_list_retried.json");
    j["actions"] = std::move(actions);
    try {
      scenario_from_json(j, "s.json");
    } catch (const input_error& e) {
      return e.path();
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "resend"}}}), "/actions/0/do");
  EXPECT_EQ(error_path({{{"do", "retry_failed"}}}), "/actions/0/at");
  EXPECT_EQ(error_path({{{"at", "2m"}, {"do", "retry_failed"}}}), "/actions/0/at");
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "retry"}}}), "/actions/0/state");
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "delete"}, {"state", "delivered"}}}),
            "/actions/0/state");
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "retry_failed"}, {"state", "failed"}}}),
            "/actions/0/state");
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "retry"}, {"state", "failed"}, {"definition", "X"}}}),
            "/actions/0/definition");
  EXPECT_EQ(error_path({{{"at", "1s"}, {"do", "retry"}, {"notification", "04l"}}}),
            "/actions/0/notification");
  EXPECT_EQ(error_path(json::object()), "/actions");
}

// --- a sender crash ---------------------------------------------------------------------------

TEST(stories, a_sender_crash_loses_nothing_and_sends_in_flight_messages_again) {
  const auto r = play(load_scenario(library("sender_restart_during_outage.json")));
  EXPECT_TRUE(r.passed()) << failures(r);
  // Each message in flight at the crash reached the listener once for the dead process and once
  // again after the restart.
  const std::string measured = check(r, "actions.0.crash").measured;
  const auto in_flight = std::stoull(measured);
  EXPECT_GT(in_flight, 0u);
  EXPECT_EQ(measured, std::to_string(in_flight) + " in flight, sent again");
  ASSERT_TRUE(r.ledger);
  EXPECT_EQ(r.ledger->duplicates, in_flight);
  EXPECT_EQ(r.status.counts.delivered, 10u);
  // Without the crash nothing is sent twice: the duplicates check fails.
  json j = source("sender_restart_during_outage.json");
  j.erase("actions");
  const auto calm = play(j);
  EXPECT_FALSE(check(calm, "duplicates").passed);
  EXPECT_TRUE(check(calm, "nothing_lost").passed);
}

// --- duplicates and retries ------------------------------------------------------------------

// One listener nacks the first message, another reads it and resets the connection before its
// ack goes out: the notifications are sent again and delivered, but only the second listener had
// acked them (the ack lost to a reset), so its re-sends alone are duplicates; the nacked ones are
// retries. Both definitions are on Account, so each of the two records created fires both: each
// listener gets 2 notifications in its first message, and again. The report and the expectations
// say so, per endpoint, per definition and in total.
TEST(stories, a_nack_then_resend_is_a_retry_and_an_ack_lost_to_a_reset_is_a_duplicate) {
  const auto endpoint = [](const char* name, const char* kind) {
    return json{{"name", name},
                {"path", std::string("/") + name},
                {"faults", json::array({{{"kind", kind}, {"first", 1u}, {"expect_fired", true}}})}};
  };
  const auto definition = [](const char* name, const char* ep) {
    return json{{"definition",
                 {{"full_name", name},
                  {"object", "Account"},
                  {"fields", {"Id", "Name"}},
                  {"endpoint_url", std::string("http://erp.example.com/") + ep}}},
                {"endpoint", ep},
                {"workload",
                 {{"mix", {{"creates", 1}}},
                  {"changes", json::array({{{"kind", "burst"}, {"at", "0s"}, {"count", 1}}})}}}};
  };
  const json j = {
      {"name", "retries_and_duplicates"},
      {"seed", 1},
      {"clock", "virtual"},
      {"start", "2026-01-05T08:00:00Z"},
      {"duration", "1s"},
      {"run_until", "1m"},
      {"delivery",
       {{"retry", {{"kind", "fixed"}, {"base", "1s"}, {"jitter", 0}}}, {"timeout", "5s"}}},
      {"endpoints",
       json::array({endpoint("nacks", "nack"), endpoint("resets", "reset_after_read")})},
      {"definitions", json::array({definition("Nacked", "nacks"), definition("Reset", "resets")})},
      {"expectations",
       {{"nothing_lost", true},
        {"retries", 2},
        {"duplicates", 2},
        {"endpoints",
         {{"nacks", {{"retries", 2}, {"duplicates", 0}}},
          {"resets", {{"retries", 0}, {"duplicates", 2}}}}},
        {"definitions",
         {{"Nacked", {{"retries", 2}, {"duplicates", 0}}},
          {"Reset", {{"retries", 0}, {"duplicates", 2}}}}}}}};
  const auto r = play(j);
  EXPECT_TRUE(r.passed()) << failures(r);
  ASSERT_TRUE(r.ledger);
  EXPECT_EQ(r.ledger->notifications, 8u);
  EXPECT_EQ(r.ledger->unique, 4u);
  EXPECT_EQ(r.ledger->retries, 2u);
  EXPECT_EQ(r.ledger->duplicates, 2u);
  const auto summary = reports::text_summary(r);
  EXPECT_NE(summary.find("8 notifications received, 4 unique, 2 retries before an ack, 2 "
                         "duplicates after an ack"),
            std::string::npos)
      << summary;
  // Swapped, both expectations fail: the two are told apart.
  json swapped = j;
  swapped["expectations"] = {{"retries", 0}, {"duplicates", 4}};
  const auto w = play(swapped);
  EXPECT_FALSE(check(w, "retries").passed);
  EXPECT_FALSE(check(w, "duplicates").passed);
}

TEST(stories, a_crash_acts_on_no_row) {
  json j = source("sender_restart_during_outage.json");
  j["actions"][0]["state"] = "failed";
  try {
    scenario_from_json(j, "s.json");
    FAIL() << "accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.path(), "/actions/0/state");
  }
}

// --- request-dependent faults ---------------------------------------------------------------

TEST(stories, a_poison_record_blocks_exactly_its_batch) {
  const auto r = play(load_scenario(library("poison_record.json")));
  EXPECT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.status.counts.delivered, 15u);
  EXPECT_EQ(r.status.counts.failed, 5u);
  // The same fault for every message fails everything: the condition is what picks the batch.
  json j = source("poison_record.json");
  j["endpoints"][0]["faults"][0].erase("when");
  const auto all = play(j);
  EXPECT_EQ(all.status.counts.failed, 20u);
  EXPECT_FALSE(check(all, "delivered").passed);
}

TEST(stories, a_poison_record_later_in_the_load_blocks_its_own_batch) {
  json j = source("poison_record.json");
  // The 12th record (base 62: C) is in the third batch of five.
  j["endpoints"][0]["faults"][0]["when"] = {{"record_id", "0015g000000000C"}};
  const auto r = play(j);
  EXPECT_EQ(r.status.counts.failed, 5u);
  EXPECT_EQ(r.status.counts.delivered, 15u);
}

TEST(stories, a_listener_rate_limit_is_met_and_recovered_from) {
  const auto r = play(load_scenario(library("listener_rate_limited.json")));
  EXPECT_TRUE(r.passed()) << failures(r);
  ASSERT_TRUE(r.ledger);
  EXPECT_GT(r.ledger->faults_injected.at("http_status"), 0u);
  // Without the limit nothing is refused and the 429 checks fail.
  json j = source("listener_rate_limited.json");
  j["endpoints"][0]["faults"] = json::array({j["endpoints"][0]["faults"][2]});
  const auto unlimited = play(j);
  EXPECT_FALSE(check(unlimited, "failures.http_status").passed);
  EXPECT_FALSE(check(unlimited, "failure_reasons.\\(429\\)").passed);
  EXPECT_TRUE(check(unlimited, "delivered").passed);
}

// --- expectations measured in a run ---------------------------------------------------------

TEST(stories, newest_values_fail_when_a_record_s_last_change_never_arrived) {
  json j = source("failed_list_retried.json");
  j["expectations"] = {{"newest_values_delivered", true}};
  // The deleted notification's record never reached the listener.
  auto r = play(j);
  EXPECT_EQ(check(r, "newest_values_delivered").measured, "1 of 10 not newest");
  j.erase("actions");
  r = play(j);
  EXPECT_EQ(check(r, "newest_values_delivered").measured, "10 of 10 not newest");
  j = source("listener_rate_limited.json");
  r = play(j);
  EXPECT_TRUE(check(r, "newest_values_delivered").passed) << failures(r);
}

TEST(stories, endpoint_scoped_checks_see_only_their_endpoint) {
  json j = source("hung_listener.json");
  j["expectations"] = {
      {"endpoints",
       {{"billing", {{"faults_injected", {{"stall", {{"min", 1}}}}}, {"delivered", 20}}},
        {"erp", {{"faults_injected", {{"stall", 0}}}, {"failures", {{"timeout", 0}}}}}}}};
  auto r = play(j);
  EXPECT_TRUE(r.passed()) << failures(r);
  j["expectations"]["endpoints"]["erp"]["faults_injected"]["stall"] = {{"min", 1}};
  r = play(j);
  EXPECT_FALSE(check(r, "endpoints.erp.faults_injected.stall").passed);
}

// --- a second definition on one object ------------------------------------------------------

// Two definitions on Account with different fields, each to its own listener: each listener
// gets values for its own definition's fields (before, records had only the first's fields).
TEST(stories, a_second_definition_on_an_object_gets_its_own_fields) {
  const json j = json::parse(R"({
    "name": "two_on_account", "duration": "2s", "run_until": "1m",
    "delivery": {"batch_size": 1, "connections": 1},
    "endpoints": [{"name": "erp"}, {"name": "crm"}],
    "definitions": [
      {"definition": {"full_name": "A", "object": "Account", "fields": ["Id", "Name"],
                      "endpoint_url": "http://erp.example.com/"}, "endpoint": "erp",
       "workload": {"mix": {"creates": 1}, "changes": [{"kind": "constant", "rate": "2/s"}]}},
      {"definition": {"full_name": "B", "object": "Account", "fields": ["Id", "Phone", "Industry"],
                      "endpoint_url": "http://crm.example.com/"}, "endpoint": "crm"}],
    "expectations": {"newest_values_delivered": true, "delivered": 8,
                     "definitions": {"B": {"delivered": 4, "newest_values_delivered": true}}}
  })");
  const scenario s = scenario_from_json(j, "two.json");
  event_loop loop(s.start);
  session play_(s, s.seed, loop);
  virtual_transport transport(loop);
  std::vector<std::string> urls{"http://erp.virtual:8080/", "http://crm.virtual:8081/"};
  for (std::size_t i = 0; i < 2; ++i)
    transport.attach(sender::parse_destination(urls[i], "two.json", "/endpoints"), play_.mock(i));
  play_.start(transport, urls);
  while (!play_.finished() && loop.step()) {
  }
  const auto r = play_.report(default_start(), default_start(), "virtual");
  EXPECT_TRUE(r.passed()) << failures(r);
  const auto* crm = play_.mock(1).ledger().record_data(soap::make_id("001", 1));
  ASSERT_NE(crm, nullptr);
  std::vector<std::string> names;
  for (const auto& f : *crm) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Phone", "Industry"}));
  for (const auto& f : *crm) EXPECT_TRUE(f.value && !f.value->empty()) << f.name;
  EXPECT_EQ(play_.mock(1).counters().rejected, 0u);
  EXPECT_EQ(play_.mock(0).counters().rejected, 0u);
}

// --- both clocks ----------------------------------------------------------------------------

class story_on_both_clocks : public testing::TestWithParam<const char*> {};

// Each story passes in real time too (scaled to seconds), with the virtual clock's counts where
// timing cannot change them.
TEST_P(story_on_both_clocks, passes_in_real_time) {
  const scenario s = load_scenario(library(GetParam()));
  const auto r = play_real(s);
  EXPECT_EQ(r.clock, "real");
  EXPECT_TRUE(r.passed()) << failures(r);
  const auto v = play(s);
  EXPECT_EQ(r.status.counts, v.status.counts);
  EXPECT_EQ(r.metrics.totals().notifications_accepted, v.metrics.totals().notifications_accepted);
}

INSTANTIATE_TEST_SUITE_P(library, story_on_both_clocks,
                         testing::Values("failed_list_retried.json", "poison_record.json",
                                         "listener_rate_limited.json",
                                         "sender_restart_during_outage.json"));

TEST(stories, same_seed_same_report) {
  for (const char* name : {"failed_list_retried.json", "poison_record.json",
                           "listener_rate_limited.json", "sender_restart_during_outage.json"}) {
    const scenario s = load_scenario(library(name));
    json a = reports::to_json(play(s)), b = reports::to_json(play(s));
    for (auto* j : {&a, &b}) {
      j->erase("started");
      j->erase("finished");
    }
    EXPECT_EQ(a.dump(), b.dump()) << name;
  }
}

}  // namespace
}  // namespace outbound::scenarios
