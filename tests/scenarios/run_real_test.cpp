#include <gtest/gtest.h>

#include "scenarios/runner.hpp"

namespace outbound::scenarios {
namespace {

std::filesystem::path library(const std::string& name) {
  return std::filesystem::path(OUTBOUND_SOURCE_DIR) / "scenarios" / "library" / name;
}

std::string failures(const reports::run_report& r) {
  std::string out;
  for (const auto& c : r.checks)
    if (!c.passed)
      out +=
          c.name + ": measured " + c.measured + ", expected " + c.expected + " " + c.message + "\n";
  return out;
}

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
                                         "hung_listener.json"));

// The hang reaches the connections the sender kept alive to the hung listener: the same timeouts
// as on the virtual clock (before, the real clock had none).
TEST(run_real, a_hung_listener_times_out_kept_alive_requests_as_on_the_virtual_clock) {
  const scenario s = load_scenario(library("hung_listener.json"));
  system_clock wall;
  run_options real;
  real.clock = clock_kind::real;
  const auto r = run_scenario(s, real, wall).report;
  manual_clock fake(default_start());
  const auto v = run_virtual(s, {}, fake).report;
  ASSERT_TRUE(r.ledger && v.ledger);
  EXPECT_GT(v.ledger->faults_injected.at("stall"), 0u);
  EXPECT_EQ(r.ledger->faults_injected, v.ledger->faults_injected);
  EXPECT_EQ(r.metrics.totals().failures_by_class, v.metrics.totals().failures_by_class);
  EXPECT_EQ(r.metrics.totals().messages_sent, v.metrics.totals().messages_sent);
}

}  // namespace
}  // namespace outbound::scenarios
