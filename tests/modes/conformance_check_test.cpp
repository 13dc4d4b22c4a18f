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

// Over real HTTP: a listener that answers the first two messages with a SOAP fault and the next
// with an nginx error page. The report says what was sent and what came back, the fault by its
// faultstring (never its envelope), the page by the start of its body, each reason first.
TEST(conformance_check, reports_a_soap_fault_by_its_faultstring_and_a_page_by_its_start) {
  mock_endpoint::fault soap_fault;
  soap_fault.kind = mock_endpoint::fault_kind::soap_fault;
  soap_fault.faultcode = "soapenv:Server";
  soap_fault.faultstring = "ERP posting period closed";
  soap_fault.status = 500;
  soap_fault.first = 2;
  mock_endpoint::fault page;
  page.kind = mock_endpoint::fault_kind::html_error_page;
  page.status = 502;
  page.first = 3;  // each entry counts the requests it saw: the soap_fault's two, then this one
  testing::live_mock mock(mock_endpoint::fault_plan{{soap_fault, page}});
  live_check run(mock, 10s);
  const auto r = run.check.report({{"endpoint", "http://127.0.0.1/sfdc"}});
  ASSERT_EQ(r.checks.size(), 7u);
  const auto& fault = r.checks[1];
  EXPECT_EQ(fault.name, "hundred_notifications");
  EXPECT_EQ(fault.sent, "100 notifications in one message");
  EXPECT_EQ(fault.measured.rfind("HTTP 500 Internal Server Error, SOAP fault: ERP posting period "
                                 "closed, in ",
                                 0),
            0u)
      << fault.measured;
  EXPECT_EQ(fault.message.rfind("SOAP fault: ERP posting period closed", 0), 0u) << fault.message;
  EXPECT_TRUE(fault.excerpt.empty()) << "the envelope is not shown: " << fault.excerpt;
  const auto& html_page = r.checks[2];
  EXPECT_FALSE(html_page.passed);
  EXPECT_NE(html_page.measured.find("HTTP 502 Bad Gateway, Content-Type 'text/html"),
            std::string::npos)
      << html_page.measured;
  EXPECT_NE(html_page.excerpt.find("502 Bad Gateway"), std::string::npos) << html_page.excerpt;
  for (const auto& text :
       {reports::render_html(r), reports::text_summary(r), reports::render_junit(r)}) {
    EXPECT_EQ(text.find("Envelope"), std::string::npos) << text;
    EXPECT_NE(text.find("ERP posting period closed"), std::string::npos);
  }
  const auto summary = reports::text_summary(r);
  EXPECT_NE(summary.find("FAIL hundred_notifications  SOAP fault: ERP posting period closed"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("4 of 7 checks passed"), std::string::npos) << summary;
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
