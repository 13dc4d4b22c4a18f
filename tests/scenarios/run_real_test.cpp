#include <gtest/gtest.h>

#include <fmt/format.h>

#include <utility>

#include "scenarios/runner.hpp"
#include "tests/scenarios/library_helpers.hpp"

namespace outbound::scenarios {
namespace {

// The short library scenarios in wall time over loopback sockets: they pass, and they deliver
// what the virtual clock delivers.
class short_scenario : public testing::TestWithParam<const char*> {};

TEST_P(short_scenario, passes_in_real_time_with_the_virtual_counts) {
  const scenario s = load_scenario(library(GetParam()));
  system_clock wall;
  run_options real;
  real.clock = clock_kind::real;
  const auto r = run_scenario(s, real, wall).report;
  EXPECT_EQ(r.clock, "real");
  EXPECT_TRUE(r.passed()) << failures(r);
  manual_clock fake(default_start());
  const auto v = run_virtual(s, {}, fake).report;
  const auto& rt = r.metrics.totals();
  const auto& vt = v.metrics.totals();
  EXPECT_EQ(rt.notifications_accepted, vt.notifications_accepted);
  EXPECT_EQ(rt.notifications_delivered, vt.notifications_delivered);
  EXPECT_EQ(rt.notifications_failed, vt.notifications_failed);
  EXPECT_EQ(rt.notifications_dropped, vt.notifications_dropped);
  EXPECT_EQ(r.status.counts, v.status.counts);
}

INSTANTIATE_TEST_SUITE_P(library, short_scenario,
                         testing::Values("malformed_responses.json", "update_storm.json",
                                         "hung_listener.json", "tls_certificate_expired.json"));

// The same scenario played in real time and in virtual time: {real, virtual}.
std::pair<reports::run_report, reports::run_report> on_both_clocks(const scenario& s) {
  system_clock wall;
  run_options real;
  real.clock = clock_kind::real;
  auto r = run_scenario(s, real, wall).report;
  manual_clock fake(default_start());
  return {std::move(r), run_virtual(s, {}, fake).report};
}

// The hang reaches the connections the sender kept alive to the hung listener: the same timeouts
// as on the virtual clock (before, the real clock had none).
TEST(run_real, a_hung_listener_times_out_kept_alive_requests_as_on_the_virtual_clock) {
  const scenario s = load_scenario(library("hung_listener.json"));
  const auto [r, v] = on_both_clocks(s);
  ASSERT_TRUE(r.ledger && v.ledger);
  EXPECT_GT(v.ledger->faults_injected.at("stall"), 0u);
  EXPECT_EQ(r.ledger->faults_injected, v.ledger->faults_injected);
  EXPECT_EQ(r.metrics.totals().failures_by_class, v.metrics.totals().failures_by_class);
  EXPECT_EQ(r.metrics.totals().messages_sent, v.metrics.totals().messages_sent);
}

// An expired certificate on an https listener, through real TLS handshakes: the same TLS failures,
// counted in the same window, as the virtual clock's model; and stopped while the certificate is
// still expired, the notifications left retrying carry Salesforce's wording on both clocks.
TEST(run_real, an_expired_certificate_fails_real_handshakes_as_the_model_does) {
  const scenario s = load_scenario(library("tls_certificate_expired.json"));
  const auto [r, v] = on_both_clocks(s);
  ASSERT_TRUE(r.ledger && v.ledger);
  EXPECT_GT(v.ledger->faults_injected.at("tls_expired"), 0u);
  EXPECT_EQ(r.ledger->faults_injected, v.ledger->faults_injected);
  EXPECT_GT(v.metrics.totals().failures_by_class.at("tls"), 0u);
  EXPECT_EQ(r.metrics.totals().failures_by_class, v.metrics.totals().failures_by_class);
  ASSERT_EQ(r.fault_entries.size(), 1u);
  ASSERT_EQ(v.fault_entries.size(), 1u);
  EXPECT_EQ(r.fault_entries[0].fired, v.fault_entries[0].fired);

  nlohmann::json cut = s.source;
  cut["duration"] = "2500ms";
  cut["run_until"] = "2500ms";
  cut.erase("expectations");
  const scenario early = scenario_from_json(cut, library("cut.json"));
  const auto [re, ve] = on_both_clocks(early);
  const std::string expired =
      "javax.net.ssl.SSLHandshakeException: sun.security.validator.ValidatorException: PKIX path "
      "validation failed: java.security.cert.CertPathValidatorException: validity check failed";
  for (const auto* report : {&re, &ve}) {
    std::size_t worded = 0;
    for (const auto& row : report->status.rows) worded += row.reason == expired;
    EXPECT_GT(worded, 0u) << report->clock;
  }
  EXPECT_EQ(re.status.counts, ve.status.counts);
}

// A listener answers its first request 503 with Retry-After: 2. With retry_after=honor the
// retry waits the two seconds on both clocks (through the real HTTP header, and through the
// modelled one); by default the 100 ms schedule stands.
scenario retry_after_scenario(const char* retry_after, const char* latency) {
  const auto j = nlohmann::json::parse(fmt::format(R"({{
    "name": "retry_after", "seed": 1, "start": "2026-01-05T08:00:00Z",
    "duration": "1s", "run_until": "10s",
    "delivery": {{"retry": {{"kind": "fixed", "base": "100ms", "jitter": 0,
                             "retry_after": "{}"}}}},
    "endpoints": [{{"name": "erp", "faults": [{{"kind": "http_status", "status": 503,
                   "retry_after": 2, "first": 1, "expect_fired": true}}]}}],
    "definitions": [{{"definition": {{"full_name": "Notify_ERP", "object": "Account",
                     "fields": ["Id", "Name"], "endpoint_url": "http://erp.example.com/"}},
                     "endpoint": "erp",
                     "workload": {{"records": 1, "changes": [{{"kind": "burst", "at": "0s",
                                                               "count": 1}}]}}}}],
    "expectations": {{"delivered": 1, "latency": {{"end_to_end": {{"max": {}}}}}}}
  }})",
                                                   retry_after, latency));
  return scenario_from_json(j, library("retry_after.json"));
}

TEST(run_real, retry_after_is_waited_for_only_when_the_policy_honors_it) {
  const auto [hr, hv] =
      on_both_clocks(retry_after_scenario("honor", R"({"min": "2s", "max": "3s"})"));
  EXPECT_TRUE(hr.passed()) << failures(hr);
  EXPECT_TRUE(hv.passed()) << failures(hv);
  const auto [ir, iv] = on_both_clocks(retry_after_scenario("ignore", R"({"max": "1s"})"));
  EXPECT_TRUE(ir.passed()) << failures(ir);
  EXPECT_TRUE(iv.passed()) << failures(iv);
}

}  // namespace
}  // namespace outbound::scenarios
