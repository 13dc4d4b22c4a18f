// Transport parity: one fault, one request, on the real transport (sockets, the mock server, real
// TLS handshakes with the scenario's certificates) and on the virtual transport (the mock's
// decisions simulated). Both report the same cause and phase as values, and the verdict words
// them the same way. Both send to the same URL, so host names in the wording match too.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 and Asio coroutine frames
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <optional>

#include "common/event_loop.hpp"
#include "common/random.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "mock_endpoint/server.hpp"
#include "scenarios/certificates.hpp"
#include "scenarios/virtual_transport.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"
#include "sender/verdict.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/sample_data.hpp"

namespace outbound::scenarios {
namespace {

using namespace std::chrono_literals;
constexpr duration timeout = 300ms;

struct fault_case {
  const char* plan;
  bool https;
};

std::string request_body() {
  soap::definition d = soap::definition_from_json(
      nlohmann::json::parse(R"({"full_name": "A", "object": "Account", "fields": ["Name"],
                                "endpoint_url": "https://erp.example.com/"})"),
      "d.json");
  random rng(1);
  return soap::write_envelope(soap::sample_message(d, 1, rng));
}

mock_endpoint::responder make_mock(const fault_case& c, time_point start) {
  mock_endpoint::responder_options o;
  o.tls = c.https;
  return mock_endpoint::responder(
      mock_endpoint::fault_plan_from_json(nlohmann::json::parse(c.plan), "plan.json"), 1, o, start);
}

struct real_run {
  sender::attempt_result result;
  std::string url;
};

real_run play_real(const fault_case& c) {
  system_clock wall;
  boost::asio::io_context io;
  auto mock = make_mock(c, wall.now());
  const scenario_certificates certs = make_https_certificates(wall.now());
  mock_endpoint::server_options so;
  if (c.https) so.tls = certs.server;
  mock_endpoint::server server(io, mock, wall, so);
  server.start();
  sender::http_transport transport(io, {.ca_pem = certs.authority.certificate});
  real_run run;
  run.url = server.url() + "/erp";
  std::optional<sender::attempt_result> got;
  transport.send(sender::parse_destination(run.url), request_body(), timeout,
                 [&](sender::attempt_result r) {
                   got = std::move(r);
                   server.stop();
                 });
  io.run();
  EXPECT_TRUE(got);
  run.result = got.value_or(sender::attempt_result{});
  return run;
}

sender::attempt_result play_virtual(const fault_case& c, const std::string& url) {
  event_loop loop(default_start());
  auto mock = make_mock(c, default_start());
  virtual_transport transport(loop);
  const auto to = sender::parse_destination(url);
  transport.attach(to, mock);
  std::optional<sender::attempt_result> got;
  transport.send(to, request_body(), timeout,
                 [&](sender::attempt_result r) { got = std::move(r); });
  while (!got && loop.step()) {
  }
  EXPECT_TRUE(got);
  return got.value_or(sender::attempt_result{});
}

class transport_parity : public testing::TestWithParam<fault_case> {};

TEST_P(transport_parity, both_transports_report_the_same_cause_phase_and_wording) {
  const real_run real = play_real(GetParam());
  const sender::attempt_result virt = play_virtual(GetParam(), real.url);
  const sender::attempt_result& r = real.result;
  EXPECT_EQ(sender::to_string(r.error), sender::to_string(virt.error)) << r.detail;
  if (r.error != sender::transport_error::none) {
    EXPECT_EQ(sender::to_string(r.phase), sender::to_string(virt.phase)) << r.detail;
  }
  EXPECT_EQ(r.tls_alert, virt.tls_alert);
  const sender::verdict rv = sender::judge(r), vv = sender::judge(virt);
  EXPECT_EQ(rv.failure_class, vv.failure_class);
  EXPECT_EQ(rv.reason, vv.reason);
}

// Every connection and request fault kind that fails below HTTP, over http and over https
// (refuse is compared on whole scenarios in clock_parity_test: its port closes on a timer).
INSTANTIATE_TEST_SUITE_P(
    every_cause, transport_parity,
    testing::Values(
        fault_case{"[]", false}, fault_case{"[]", true},
        fault_case{R"([{"kind": "close"}])", false}, fault_case{R"([{"kind": "close"}])", true},
        fault_case{R"([{"kind": "stall"}])", false}, fault_case{R"([{"kind": "stall"}])", true},
        fault_case{R"([{"kind": "stall", "after_read": true}])", true},
        fault_case{R"([{"kind": "reset_before_read"}])", false},
        fault_case{R"([{"kind": "reset_before_read"}])", true},
        fault_case{R"([{"kind": "reset_after_read"}])", false},
        fault_case{R"([{"kind": "reset_after_read"}])", true},
        fault_case{R"([{"kind": "truncated_body"}])", false},
        fault_case{R"([{"kind": "truncated_body"}])", true},
        fault_case{R"([{"kind": "garbage"}])", false}, fault_case{R"([{"kind": "garbage"}])", true},
        fault_case{R"([{"kind": "stall", "after_read": true}])", false},
        fault_case{R"([{"kind": "http_status", "status": 503}])", true},
        fault_case{R"([{"kind": "tls_untrusted"}])", true},
        fault_case{R"([{"kind": "tls_hostname"}])", true},
        fault_case{R"([{"kind": "tls_expired"}])", true},
        fault_case{R"([{"kind": "tls_client_certificate"}])", true}));

}  // namespace
}  // namespace outbound::scenarios
