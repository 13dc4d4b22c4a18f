// Clock parity: the same small scenario played on the virtual and the real clock injects the same
// faults and ends the same way. Two endpoints; one has a connection fault window that opens while
// the sender holds a kept-alive connection to it. Arrivals and retries keep >= 150 ms away from
// the window's edges, so wall-clock jitter cannot move an event across one: counts are exact.
#include <gtest/gtest.h>

#include "scenarios/runner.hpp"

namespace outbound::scenarios {
namespace {

using nlohmann::json;

json definition(const std::string& name, const std::string& object, const std::string& field) {
  return {{"full_name", name},
          {"name", name},
          {"object", object},
          {"fields", json::array({field})},
          {"endpoint_url", "http://x.invalid/"},
          {"use_dead_letter_queue", true},
          {"api_version", "59.0"}};
}

// Changes every 0.5 s from 0.25 s to 3.25 s on each endpoint; the fault window is [1.5 s, 2.9 s):
// first attempts at 1.75, 2.25, 2.75 fail; retries come 1 s after a failure (timeouts after 300
// ms).
scenario parity_scenario(const json& fault, bool https) {
  json f = fault;
  f["after"] = "1500ms";
  f["for"] = "1400ms";
  const json work = {{"changes", json::array({{{"kind", "constant"}, {"rate", "2/s"}}})}};
  const json j = {
      {"name", "parity"},
      {"duration", "3500ms"},
      {"run_until", "30s"},
      {"delivery",
       {{"retry", {{"kind", "exponential"}, {"base", "1s"}, {"factor", 1}, {"jitter", 0}}},
        {"batch_size", 1},
        {"connections", 2},
        {"timeout", "300ms"}}},
      {"endpoints",
       json::array({{{"name", "healthy"}, {"https", https}},
                    {{"name", "faulty"}, {"https", https}, {"faults", json::array({f})}}})},
      {"definitions",
       json::array({{{"definition", definition("Notify_Healthy", "Account", "Name")},
                     {"endpoint", "healthy"},
                     {"workload", work}},
                    {{"definition", definition("Notify_Faulty", "Contact", "LastName")},
                     {"endpoint", "faulty"},
                     {"workload", work}}})}};
  return scenario_from_json(j, "parity.json");
}

void expect_parity(const char* fault, bool https) {
  const scenario s = parity_scenario(json::parse(fault), https);
  manual_clock fake(default_start());
  const auto v = run_virtual(s, {}, fake).report;
  system_clock wall;
  run_options real;
  real.clock = clock_kind::real;
  const auto r = run_scenario(s, real, wall).report;

  const auto& vt = v.metrics.totals();
  const auto& rt = r.metrics.totals();
  ASSERT_TRUE(v.ledger && r.ledger);
  EXPECT_FALSE(v.ledger->faults_injected.empty()) << "the window never fired";
  EXPECT_EQ(r.ledger->faults_injected, v.ledger->faults_injected);
  EXPECT_EQ(rt.failures_by_class, vt.failures_by_class);
  EXPECT_EQ(rt.notifications_accepted, vt.notifications_accepted);
  EXPECT_EQ(rt.notifications_delivered, vt.notifications_delivered);
  EXPECT_EQ(rt.notifications_failed, vt.notifications_failed);
  EXPECT_EQ(rt.notifications_dropped, vt.notifications_dropped);
  EXPECT_EQ(rt.messages_sent, vt.messages_sent);
  EXPECT_EQ(r.status.counts, v.status.counts);
  EXPECT_TRUE(r.metrics.attempts() == v.metrics.attempts()) << "attempts histograms differ";
}

class clock_parity : public testing::TestWithParam<const char*> {};

TEST_P(clock_parity, both_clocks_inject_the_same_faults_and_end_the_same_way) {
  expect_parity(GetParam(), false);
}

// The same over HTTPS: certificates made at start on the real clock, the modeled trust on the
// virtual one; the TLS kinds fail real handshakes with the same causes as the model's.
class clock_parity_https : public testing::TestWithParam<const char*> {};

TEST_P(clock_parity_https, both_clocks_inject_the_same_faults_and_end_the_same_way) {
  expect_parity(GetParam(), true);
}

// Every fault kind of docs/faults.md that a plain-HTTP scenario endpoint can inject (the tls_*
// kinds need an https endpoint, below; on a plain one the loader refuses them, see
// scenario_test). Timing faults are chosen either well inside the 300 ms timeout or far past it.
INSTANTIATE_TEST_SUITE_P(
    every_kind, clock_parity,
    testing::Values(R"({"kind": "refuse"})", R"({"kind": "close"})", R"({"kind": "stall"})",
                    R"({"kind": "stall", "after_read": true})", R"({"kind": "reset_before_read"})",
                    R"({"kind": "reset_after_read"})", R"({"kind": "http_status", "status": 503})",
                    R"({"kind": "html_error_page"})", R"({"kind": "wrong_content_type"})",
                    R"({"kind": "nack"})", R"({"kind": "soap_fault", "faultstring": "closed"})",
                    R"({"kind": "not_an_ack"})", R"({"kind": "empty_body"})",
                    R"({"kind": "truncated_body"})", R"({"kind": "garbage"})",
                    R"({"kind": "delay", "value": "50ms"})", R"({"kind": "delay", "value": "5s"})",
                    R"({"kind": "slow_body", "interval": "100ms"})",
                    R"({"kind": "bandwidth", "bytes_per_second": 50})"));

INSTANTIATE_TEST_SUITE_P(
    every_kind, clock_parity_https,
    testing::Values(R"({"kind": "tls_untrusted"})", R"({"kind": "tls_hostname"})",
                    R"({"kind": "tls_expired"})", R"({"kind": "tls_client_certificate"})",
                    R"({"kind": "tls_expired", "every": 2})", R"({"kind": "refuse"})",
                    R"({"kind": "close"})", R"({"kind": "stall"})",
                    R"({"kind": "reset_before_read"})", R"({"kind": "reset_after_read"})",
                    R"({"kind": "http_status", "status": 503})", R"({"kind": "garbage"})"));

}  // namespace
}  // namespace outbound::scenarios
