#include "modes/conformance_check.hpp"

#include <gtest/gtest.h>

#include "modes/builtin_definition.hpp"
#include "reports/render.hpp"
#include "tests/modes/fake_transport.hpp"
#include "tests/modes/live_mock.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;

std::vector<check_case> battery() {
  random rng(11);
  return make_battery(builtin_account_definition(), rng);
}

struct live_check {
  testing::client c{1};
  conformance_check check;
  bool done = false;

  live_check(const testing::live_mock& mock, duration timeout)
      : check(c.clock, c.transport, mock.url(), battery(), timeout) {
    check.start([this] {
      done = true;
      c.io.stop();
    });
    c.io.run();
  }
  const check_outcome& outcome(std::string_view name) const {
    for (const auto& o : check.outcomes())
      if (o.name == name) return o;
    throw std::runtime_error("no outcome " + std::string(name));
  }
};

TEST(conformance_check, passes_against_the_mock_endpoint) {
  testing::live_mock mock;
  live_check run(mock, 10s);
  ASSERT_TRUE(run.done);
  ASSERT_EQ(run.check.outcomes().size(), 7u);
  for (const auto& o : run.check.outcomes()) EXPECT_TRUE(o.passed) << o.name << ": " << o.failure;
  EXPECT_TRUE(run.check.passed());
  // The mock saw every message, and the redelivery as duplicates of the first.
  const auto [messages, duplicates] = mock.with_endpoint([](mock_endpoint::responder& ep) {
    return std::pair(ep.counters().acks, ep.ledger().duplicates());
  });
  EXPECT_EQ(messages, 7u);
  EXPECT_EQ(duplicates, 1u);
  const auto summary = reports::text_summary(run.check.report({}));
  EXPECT_NE(summary.find("7 of 7 checks passed"), std::string::npos) << summary;
}

TEST(conformance_check, fails_every_check_against_a_mock_that_nacks) {
  mock_endpoint::fault nack;
  nack.kind = mock_endpoint::fault_kind::nack;
  testing::live_mock mock(mock_endpoint::fault_plan{{nack}});
  live_check run(mock, 10s);
  ASSERT_EQ(run.check.outcomes().size(), 7u);
  EXPECT_FALSE(run.check.passed());
  for (const auto& o : run.check.outcomes()) {
    EXPECT_FALSE(o.passed) << o.name;
    EXPECT_NE(o.failure.find("SOAP response was a nack"), std::string::npos) << o.failure;
    EXPECT_NE(o.came_back.find("HTTP 200"), std::string::npos) << o.came_back;
  }
  const auto summary = reports::text_summary(run.check.report({}));
  EXPECT_NE(summary.find("FAIL one_notification"), std::string::npos) << summary;
  EXPECT_NE(summary.find("0 of 7 checks passed"), std::string::npos) << summary;
}

TEST(conformance_check, names_the_check_whose_answer_stalled_past_the_timeout) {
  mock_endpoint::fault stall;
  stall.kind = mock_endpoint::fault_kind::stall;
  stall.hold = 30s;
  stall.first = 1;  // only the first connection stalls; the rest are answered
  testing::live_mock mock(mock_endpoint::fault_plan{{stall}});
  live_check run(mock, 300ms);
  ASSERT_EQ(run.check.outcomes().size(), 7u);
  const auto& first = run.outcome("one_notification");
  EXPECT_FALSE(first.passed);
  EXPECT_EQ(first.failure, "no answer within the 300ms timeout");
  for (const auto& o : run.check.outcomes()) {
    if (o.name != "one_notification") {
      EXPECT_TRUE(o.passed) << o.name << ": " << o.failure;
    }
  }
  const auto summary = reports::text_summary(run.check.report({}));
  EXPECT_NE(summary.find("FAIL one_notification"), std::string::npos) << summary;
  EXPECT_NE(summary.find("6 of 7 checks passed"), std::string::npos) << summary;
}

TEST(conformance_check, reports_one_check_per_case) {
  const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");
  event_loop loop(start);
  testing::fake_transport t(loop, 20ms);
  t.answer = [](std::size_t i) {
    return i == 2 ? testing::fake_transport::nack() : testing::fake_transport::ok();
  };
  conformance_check check(loop.clock(), t, {"http://127.0.0.1:9/", false, "127.0.0.1", "9", "/"},
                          battery(), 60s);
  bool done = false;
  check.start([&] { done = true; });
  loop.run();
  ASSERT_TRUE(done);
  EXPECT_EQ(t.bodies.size(), 7u);
  EXPECT_EQ(t.bodies[2], t.bodies[0]);  // the redelivery repeats the first message's bytes
  const auto r = check.report({{"endpoint", "http://127.0.0.1:9/"}});
  EXPECT_EQ(r.kind, "check");
  ASSERT_EQ(r.checks.size(), 7u);
  EXPECT_EQ(r.checks[2].name, "redelivery");
  EXPECT_FALSE(r.checks[2].passed);
  EXPECT_NE(r.checks[2].message.find("nack"), std::string::npos) << r.checks[2].message;
  EXPECT_EQ(r.checks[2].expected, "HTTP 200, text/xml, Ack true, within 1m");
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.metrics.totals().messages_sent, 7u);
  EXPECT_EQ(r.metrics.totals().messages_failed, 1u);
  EXPECT_EQ(r.finished - r.started, 7 * 20ms);
  EXPECT_EQ(r.status.counts.failed, 1u);
  EXPECT_EQ(r.status.counts.delivered, 1u + 100 + 1 + 3 + 1 + 2);
}

}  // namespace
}  // namespace outbound::modes
