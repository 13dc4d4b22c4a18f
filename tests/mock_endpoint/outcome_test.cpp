#include "mock_endpoint/outcome.hpp"

#include <gtest/gtest.h>

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using e = effect_error;

outcome ack(std::string body = "<ack/>") {
  outcome o;
  o.response = {200, "", "text/xml; charset=utf-8", {}, std::move(body)};
  return o;
}

TEST(outcome, serializes_the_head) {
  http_reply r{503, "", "text/plain", {{"Retry-After", "120"}}, "x"};
  EXPECT_EQ(serialize_head(r, 1, true),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 120\r\n"
            "Content-Length: 1\r\n\r\n");
  r.reason = "Busy";
  r.content_type.clear();
  r.headers.clear();
  EXPECT_EQ(serialize_head(r, 7, false),
            "HTTP/1.1 503 Busy\r\nContent-Length: 7\r\nConnection: close\r\n\r\n");
}

TEST(outcome, write_schedule_paces_slow_bodies_and_bandwidth) {
  outcome o = ack();
  EXPECT_EQ(write_schedule(o, 50, 100).size(), 1u);
  o.slow_body = pacing{10, 1s};
  auto steps = write_schedule(o, 50, 100);  // head+10, then 4 chunks of 10
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].bytes, 60u);
  EXPECT_EQ(transfer_time(steps), 4s);
  o.slow_body.reset();
  o.bandwidth = 1000;
  steps = write_schedule(o, 50, 1000);
  EXPECT_EQ(steps.size(), 10u);
  EXPECT_EQ(transfer_time(steps), 1s);
}

TEST(outcome, simulates_connection_outcomes) {
  connection_outcome c;
  EXPECT_EQ(simulate(c, 60s).error, e::none);
  c.action = connection_action::refuse;
  EXPECT_EQ(simulate(c, 60s).error, e::refused);
  c.action = connection_action::reset;
  EXPECT_EQ(simulate(c, 60s).error, e::reset);
  c.action = connection_action::close;
  EXPECT_EQ(simulate(c, 60s).error, e::closed);
  c.action = connection_action::stall;
  c.hold = 10min;
  EXPECT_EQ(simulate(c, 60s).error, e::timeout);
  EXPECT_EQ(simulate(c, 60s).elapsed, 60s);
  c.action = connection_action::tls_failure;
  c.tls = tls_failure_kind::hostname;
  EXPECT_EQ(simulate(c, 60s).error, e::tls_hostname);
  c.tls = tls_failure_kind::expired;
  EXPECT_EQ(simulate(c, 60s).error, e::tls_expired);
  c.tls = tls_failure_kind::untrusted;
  EXPECT_EQ(simulate(c, 60s).error, e::tls_untrusted);
  c.tls = tls_failure_kind::client_certificate;
  EXPECT_EQ(simulate(c, 60s).error, e::tls_client_certificate);
}

TEST(outcome, simulates_answers_against_the_client_timeout) {
  outcome o = ack();
  o.delay = 5s;
  auto r = simulate(o, 60s);
  EXPECT_EQ(r.error, e::none);
  EXPECT_EQ(r.elapsed, 5s);
  EXPECT_EQ(r.response.body, "<ack/>");

  o.delay = 70s;  // a slow ack: Salesforce gives up at 60 s
  r = simulate(o, 60s);
  EXPECT_EQ(r.error, e::timeout);
  EXPECT_EQ(r.elapsed, 60s);

  o = ack(std::string(100, 'x'));
  o.slow_body = pacing{10, 10s};
  EXPECT_EQ(simulate(o, 60s).error, e::timeout);  // 9 waits of 10 s

  o = ack();
  o.action = response_action::truncated;
  EXPECT_EQ(simulate(o, 60s).error, e::closed);
  o.action = response_action::garbage;
  o.garbage = "\x01\x02";
  EXPECT_EQ(simulate(o, 60s).error, e::protocol);
  o.action = response_action::reset;
  EXPECT_EQ(simulate(o, 60s).error, e::reset);
  o.action = response_action::close_without_response;
  EXPECT_EQ(simulate(o, 60s).error, e::closed);
  o.action = response_action::stall;
  o.hold = 1h;
  EXPECT_EQ(simulate(o, 60s).error, e::timeout);
}

TEST(outcome, reason_phrases_come_from_the_status_registry) {
  EXPECT_EQ(standard_reason(503), "Service Unavailable");
  EXPECT_EQ(standard_reason(429), "Too Many Requests");
  EXPECT_EQ(standard_reason(431), "Request Header Fields Too Large");
  EXPECT_EQ(standard_reason(299), "Unknown");
  EXPECT_EQ(standard_reason(-1), "Unknown");
}

}  // namespace
}  // namespace outbound::mock_endpoint
