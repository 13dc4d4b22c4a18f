#include "scenarios/virtual_transport.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "common/event_loop.hpp"
#include "common/random.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "scenarios/scenario.hpp"
#include "sender/destination.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/sample_data.hpp"

namespace outbound::scenarios {
namespace {

using namespace std::chrono_literals;

struct fixture {
  explicit fixture(const char* plan_json)
      : loop(default_start()),
        mock(mock_endpoint::fault_plan_from_json(nlohmann::json::parse(plan_json), "plan.json"), 1,
             {}, default_start()),
        transport(loop),
        to(sender::parse_destination("http://erp.virtual:8080/erp")) {
    transport.attach(to, mock);
    soap::definition d = soap::definition_from_json(
        nlohmann::json::parse(R"({"full_name": "A", "object": "Account", "fields": ["Name"],
                                  "endpoint_url": "https://erp.example.com/"})"),
        "d.json");
    random rng(1);
    body = soap::write_envelope(soap::sample_message(d, 3, rng));
  }

  // Sends one request now and runs the loop until it settled.
  sender::attempt_result send(duration timeout = 60s) {
    std::optional<sender::attempt_result> got;
    const time_point sent = loop.clock().now();
    transport.send(to, body, timeout, [&](sender::attempt_result r) { got = std::move(r); });
    EXPECT_FALSE(got) << "done must not run inside send()";
    while (!got && loop.step()) {
    }
    EXPECT_TRUE(got);
    settled_after = loop.clock().now() - sent;
    return got.value_or(sender::attempt_result{});
  }

  event_loop loop;
  mock_endpoint::responder mock;
  virtual_transport transport;
  sender::destination to;
  std::string body;
  duration settled_after{};
};

TEST(virtual_transport, an_ack_arrives_after_the_mocks_delay) {
  fixture f(R"([{"kind": "delay", "value": "250ms"}])");
  const auto r = f.send();
  EXPECT_EQ(r.error, sender::transport_error::none);
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.reason, "OK");
  EXPECT_NE(r.response.body.find("<Ack>true</Ack>"), std::string::npos) << r.response.body;
  EXPECT_EQ(r.elapsed, 250ms);
  EXPECT_EQ(f.settled_after, 250ms);
  EXPECT_TRUE(f.mock.ledger().contains(soap::parse_envelope(f.body)->notifications[0].id));
}

TEST(virtual_transport, a_delay_longer_than_the_timeout_times_out_at_the_timeout) {
  fixture f(R"([{"kind": "delay", "value": "90s"}])");
  const auto r = f.send(60s);
  EXPECT_EQ(r.error, sender::transport_error::timeout);
  EXPECT_EQ(f.settled_after, 60s);
  // The listener got the message all the same: a retry will be a duplicate.
  EXPECT_EQ(f.mock.ledger().notifications(), 3u);
}

TEST(virtual_transport, refusal_is_immediate) {
  fixture f(R"([{"kind": "refuse", "after": "0s", "for": "1h"}])");
  const auto r = f.send();
  EXPECT_EQ(r.error, sender::transport_error::refused);
  EXPECT_EQ(f.settled_after, 0s);
  EXPECT_EQ(f.mock.ledger().notifications(), 0u);
}

TEST(virtual_transport, resets_truncations_and_stalls) {
  {
    fixture f(R"([{"kind": "reset_after_read"}])");
    EXPECT_EQ(f.send().error, sender::transport_error::reset);
  }
  {
    fixture f(R"([{"kind": "truncated_body", "bytes": 10}])");
    EXPECT_EQ(f.send().error, sender::transport_error::closed);
  }
  {
    fixture f(R"([{"kind": "stall", "hold": "10m"}])");
    EXPECT_EQ(f.send(30s).error, sender::transport_error::timeout);
    EXPECT_EQ(f.settled_after, 30s);
  }
}

TEST(virtual_transport, http_errors_come_back_as_responses) {
  fixture f(R"([{"kind": "http_status", "status": 503}])");
  const auto r = f.send();
  EXPECT_EQ(r.error, sender::transport_error::none);
  EXPECT_EQ(r.response.status, 503);
  EXPECT_EQ(r.response.reason, "Service Unavailable");
}

TEST(virtual_transport, keeps_connections_alive_between_requests) {
  fixture f("[]");
  f.send();
  f.send();
  f.send();
  EXPECT_EQ(f.transport.requests(), 3u);
  EXPECT_EQ(f.transport.connections_opened(), 1u);
  EXPECT_EQ(f.mock.counters().connections, 1u);
}

TEST(virtual_transport, an_unknown_endpoint_refuses) {
  fixture f("[]");
  std::optional<sender::attempt_result> got;
  f.transport.send(sender::parse_destination("http://other.virtual:9/x"), f.body, 60s,
                   [&](sender::attempt_result r) { got = std::move(r); });
  f.loop.run();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->error, sender::transport_error::refused);
}

}  // namespace
}  // namespace outbound::scenarios
