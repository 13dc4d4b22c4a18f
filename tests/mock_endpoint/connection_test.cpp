// Every fault kind as a client sees it over loopback, and requests that must not wedge the server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "soap/ack.hpp"
#include "tests/mock_endpoint/client.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using namespace testing;

fault_plan plan(const char* text) {
  return fault_plan_from_json(nlohmann::json::parse(text), "t.json");
}

std::string envelope(std::uint64_t first = 1) {
  return soap::write_envelope(account_message(1, first));
}

soap::response_verdict verdict(const client_result& r) {
  return soap::classify_response(r.status, r.reason, r.content_type, r.body);
}

TEST(connection, acks_valid_requests_on_a_kept_alive_connection) {
  running_server s;
  const auto r = exchange(s.port(), {post_request(envelope(1)), post_request(envelope(2))});
  ASSERT_EQ(r.size(), 2u);
  for (const auto& x : r) {
    EXPECT_FALSE(x.ec) << x.stage << ": " << x.ec.message();
    EXPECT_EQ(x.status, 200);
    EXPECT_EQ(x.content_type, "text/xml; charset=utf-8");
    EXPECT_EQ(verdict(x).kind, soap::response_kind::ack);
  }
  EXPECT_EQ(s.with_endpoint([](responder& ep) { return ep.ledger().unique_notifications(); }), 2u);
  EXPECT_EQ(s.with_endpoint([](responder& ep) { return ep.counters().connections; }), 1u);
}

TEST(connection, answers_100_continue_and_rejects_malformed_soap_with_a_fault) {
  running_server s;
  const auto both =
      exchange(s.port(), {post_request(envelope(), "/", "Expect: 100-continue\r\n"), ""});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].status, 100);
  EXPECT_EQ(both[1].status, 200);
  auto r = exchange_one(s.port(), post_request("<not-soap/>"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(verdict(r).kind, soap::response_kind::soap_fault);
  EXPECT_FALSE(verdict(r).reason.empty());
}

struct answer_case {
  const char* plan;
  int status;
  soap::response_kind kind;
};

class answers : public ::testing::TestWithParam<answer_case> {};

TEST_P(answers, arrive_as_sent) {
  running_server s(plan(GetParam().plan));
  const auto r = exchange_one(s.port(), post_request(envelope()));
  ASSERT_FALSE(r.ec) << r.stage << ": " << r.ec.message();
  EXPECT_EQ(r.status, GetParam().status);
  EXPECT_EQ(verdict(r).kind, GetParam().kind) << r.body;
}

INSTANTIATE_TEST_SUITE_P(
    connection, answers,
    ::testing::Values(
        answer_case{R"([{"kind": "nack"}])", 200, soap::response_kind::nack},
        answer_case{R"([{"kind": "soap_fault"}])", 500, soap::response_kind::soap_fault},
        answer_case{R"([{"kind": "http_status", "status": 404}])", 404,
                    soap::response_kind::http_status},
        answer_case{R"([{"kind": "html_error_page", "status": 200}])", 200,
                    soap::response_kind::not_xml},
        answer_case{R"([{"kind": "not_an_ack"}])", 200, soap::response_kind::not_an_ack},
        answer_case{R"([{"kind": "empty_body"}])", 200, soap::response_kind::empty},
        answer_case{R"([{"kind": "delay", "value": "20ms"}])", 200, soap::response_kind::ack},
        answer_case{R"([{"kind": "slow_body", "bytes": 64, "interval": "5ms"}])", 200,
                    soap::response_kind::ack},
        answer_case{R"([{"kind": "bandwidth", "bytes_per_second": 100000}])", 200,
                    soap::response_kind::ack}));

TEST(connection, http_status_with_retry_after_and_wrong_content_type) {
  running_server s(plan(R"([{"kind": "http_status", "status": 503, "retry_after": 120, "first": 1},
                            {"kind": "wrong_content_type"}])"));
  auto r = exchange_one(s.port(), post_request(envelope()));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.reason, "Service Unavailable");
  EXPECT_EQ(r.retry_after, "120");
  r = exchange_one(s.port(), post_request(envelope()));
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body, soap::write_ack(true));
}

bool is_reset(const boost::system::error_code& ec) {
  return ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

TEST(connection, resets_are_seen_as_resets) {
  running_server before(plan(R"([{"kind": "reset_before_read"}])"));
  auto r = exchange_one(before.port(), post_request(envelope()));
  EXPECT_TRUE(is_reset(r.ec)) << r.stage << ": " << r.ec.message();
  running_server after(plan(R"([{"kind": "reset_after_read"}])"));
  r = exchange_one(after.port(), post_request(envelope()));
  EXPECT_EQ(r.stage, "read");
  EXPECT_TRUE(is_reset(r.ec)) << r.ec.message();
  // The request was read before the reset, so the ledger has it.
  EXPECT_EQ(after.with_endpoint([](responder& ep) { return ep.ledger().notifications(); }), 1u);
}

TEST(connection, close_is_an_end_of_stream) {
  running_server s(plan(R"([{"kind": "close"}])"));
  const auto r = exchange_one(s.port(), post_request(envelope()));
  EXPECT_TRUE(r.ec == http::error::end_of_stream || is_reset(r.ec)) << r.ec.message();
}

TEST(connection, stalls_and_long_delays_are_client_timeouts) {
  for (const char* p : {R"([{"kind": "stall"}])", R"([{"kind": "stall", "after_read": true}])",
                        R"([{"kind": "delay", "value": "70s"}])"}) {
    SCOPED_TRACE(p);
    running_server s(plan(p));
    const auto r = exchange_one(s.port(), post_request(envelope()), 200ms);
    EXPECT_EQ(r.ec, beast::error::timeout) << r.stage << ": " << r.ec.message();
  }
}

// A client that stops halfway through its head or its body is closed at the deadline (the server's
// tick enforces it), not served forever: the client sees the end of the stream, long before its
// own 20 s deadline.
TEST(connection, a_client_that_stops_sending_is_closed_at_the_deadline) {
  server_options o;
  o.header_timeout = 100ms;
  o.body_timeout = 100ms;
  running_server s({}, o);
  for (const std::string& partial :
       {std::string("POST / HTTP/1.1\r\nHost: x\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<soapenv")}) {
    SCOPED_TRACE(partial);
    const auto r = exchange_one(s.port(), partial, 20s);
    EXPECT_EQ(r.stage, "read");
    EXPECT_TRUE(r.ec == http::error::end_of_stream || r.ec == http::error::partial_message ||
                is_reset(r.ec))
        << r.ec.message();
  }
  // A whole request on a kept-alive connection still gets its answer.
  const auto r = exchange(s.port(), {post_request(envelope()), post_request(envelope(2))}, 20s);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].status, 200);
}

TEST(connection, truncated_body_is_a_short_read) {
  running_server s(plan(R"([{"kind": "truncated_body", "bytes": 20}])"));
  const auto r = exchange_one(s.port(), post_request(envelope()));
  EXPECT_EQ(r.stage, "read");
  EXPECT_EQ(r.ec, http::error::partial_message) << r.ec.message();
}

TEST(connection, garbage_is_not_http) {
  running_server s(plan(R"([{"kind": "garbage", "bytes": 200}])"));
  const auto r = exchange_one(s.port(), post_request(envelope()));
  EXPECT_EQ(r.stage, "read");
  EXPECT_TRUE(r.ec);
  EXPECT_NE(r.ec, beast::error::timeout);
}

TEST(connection, refuse_windows_close_the_port_and_reopen_it) {
  running_server s(plan(R"([{"kind": "refuse", "after": "10s", "for": "10s"}])"));
  EXPECT_EQ(exchange_one(s.port(), post_request(envelope())).status, 200);
  s.clock.advance(10s);
  auto wait_for = [&](auto done) {  // the supervisor looks every 50 ms
    for (int i = 0; i < 200 && !done(); ++i) std::this_thread::sleep_for(10ms);
    return done();
  };
  EXPECT_TRUE(wait_for([&] {
    return exchange_one(s.port(), post_request(envelope())).ec == asio::error::connection_refused;
  }));
  s.clock.advance(10s);
  EXPECT_TRUE(
      wait_for([&] { return exchange_one(s.port(), post_request(envelope())).status == 200; }));
  // Once when the port closed, plus connections accepted in the window before it closed.
  EXPECT_GE(s.with_endpoint([](responder& ep) { return ep.faults_injected(fault_kind::refuse); }),
            1u);
}

TEST(connection, a_refuse_window_drops_connections_kept_alive_from_before) {
  running_server s(plan(R"([{"kind": "refuse", "after": "10s", "for": "10s"}])"));
  asio::io_context io;
  tcp::socket kept(io);
  kept.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  beast::flat_buffer buffer;
  auto post = [&] {
    asio::write(kept, asio::buffer(post_request(envelope())));
    http::response<http::string_body> res;
    beast::error_code ec;
    http::read(kept, buffer, res, ec);
    return ec ? 0 : static_cast<int>(res.result_int());
  };
  EXPECT_EQ(post(), 200);
  s.clock.advance(10s);
  for (int i = 0; i < 200; ++i) {  // the supervisor looks every 50 ms
    if (exchange_one(s.port(), post_request(envelope())).ec == asio::error::connection_refused)
      break;
    std::this_thread::sleep_for(10ms);
  }
  // The server closed its end: the request finds a closed connection, not an ack.
  beast::error_code ec;
  asio::write(kept, asio::buffer(post_request(envelope())), ec);
  http::response<http::string_body> res;
  if (!ec) http::read(kept, buffer, res, ec);
  EXPECT_TRUE(ec) << "answered " << res.result_int() << " during the refuse window";
}

// A connection fault window that opens while a client holds a connection open: the next request
// on it finds the connection dropped unanswered and uncounted (a client sends it again on a new
// connection), and the new connection gets the window's fault, counted once.
class kept_alive_under : public ::testing::TestWithParam<const char*> {};

TEST_P(kept_alive_under, a_connection_window_drops_it_and_the_new_connection_gets_the_fault) {
  const std::string kind = GetParam();
  running_server s(
      plan(("[{\"kind\": \"" + kind + "\", \"after\": \"10s\", \"for\": \"10s\"}]").c_str()));
  asio::io_context io;
  tcp::socket kept(io);
  kept.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  beast::flat_buffer buffer;
  auto post = [&](beast::error_code& ec) {
    asio::write(kept, asio::buffer(post_request(envelope())), ec);
    http::response<http::string_body> res;
    if (!ec) http::read(kept, buffer, res, ec);
    return ec ? 0 : static_cast<int>(res.result_int());
  };
  beast::error_code ec;
  EXPECT_EQ(post(ec), 200);
  s.clock.advance(10s);
  EXPECT_EQ(post(ec), 0);
  EXPECT_EQ(ec, http::error::end_of_stream) << ec.message();
  const auto kind_id = *fault_kind_from_string(kind);
  EXPECT_EQ(s.with_endpoint([&](responder& ep) { return ep.faults_injected(kind_id); }), 0u);

  const auto fresh = exchange_one(s.port(), post_request(envelope()), 300ms);
  if (kind == "stall")
    EXPECT_EQ(fresh.ec, beast::error::timeout) << fresh.stage << ": " << fresh.ec.message();
  else if (kind == "reset_before_read")
    EXPECT_TRUE(is_reset(fresh.ec)) << fresh.stage << ": " << fresh.ec.message();
  else
    EXPECT_TRUE(fresh.ec == http::error::end_of_stream || is_reset(fresh.ec)) << fresh.ec.message();
  EXPECT_EQ(s.with_endpoint([&](responder& ep) { return ep.faults_injected(kind_id); }), 1u);
  EXPECT_EQ(s.with_endpoint([](responder& ep) { return ep.fired_per_entry(); }),
            std::vector<std::uint64_t>{1});
  // Only the first request reached the handler.
  EXPECT_EQ(s.with_endpoint([](responder& ep) { return ep.ledger().notifications(); }), 1u);
}

INSTANTIATE_TEST_SUITE_P(connection_faults, kept_alive_under,
                         ::testing::Values("stall", "reset_before_read", "close"));

TEST(connection, garbage_requests_never_wedge_the_server) {
  running_server s;
  random rng(3);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng.below(256));
  auto r = exchange_one(s.port(), noise, 2s);
  EXPECT_TRUE(r.ec || r.status == 400);
  r = exchange_one(s.port(), "POST / HTTP/1.1\r\nX-Big: " + std::string(100'000, 'a') + "\r\n\r\n",
                   2s);
  EXPECT_TRUE(r.status == 431 || is_reset(r.ec)) << r.ec.message();
  r = exchange_one(
      s.port(),
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n" + std::string(1000, 'x'),
      2s);
  EXPECT_TRUE(r.status == 413 || is_reset(r.ec)) << r.ec.message();
  r = exchange_one(s.port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", 2s);
  EXPECT_TRUE(r.status == 400 || r.ec);
  r = exchange_one(s.port(),
                   "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 2s);
  EXPECT_TRUE(r.status == 400 || r.ec);
  // A client that leaves halfway through a body.
  (void)exchange_one(s.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc",
                     100ms);
  EXPECT_EQ(exchange_one(s.port(), post_request(envelope())).status, 200);
}

TEST(connection, a_body_at_the_limit_is_read_and_one_byte_more_is_refused) {
  server_options o;
  o.body_limit = 2000;
  running_server s({}, o);
  const std::string body = envelope();
  ASSERT_LT(body.size(), 2000u);
  EXPECT_EQ(
      exchange_one(s.port(), post_request(body + std::string(2000 - body.size(), ' '))).status,
      200);
  EXPECT_EQ(
      exchange_one(s.port(), post_request(body + std::string(2001 - body.size(), ' '))).status,
      413);
}

}  // namespace
}  // namespace outbound::mock_endpoint
