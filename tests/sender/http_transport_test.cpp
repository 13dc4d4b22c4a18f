// The HTTP transport against scripted loopback servers: every failure class, the exact request
// bytes, keep-alive reuse, the connection cap, stale kept-alive connections and HTTPS checks.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 and Asio coroutine frames
#include "sender/http_transport.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/input_error.hpp"
#include "sender/destination.hpp"
#include "sender/verdict.hpp"
#include "tests/sender/loopback_server.hpp"

namespace outbound::sender {
namespace {

using testing::loopback_server;
using testing::reply;
using namespace std::chrono_literals;

class http_transport_test : public ::testing::Test {
 protected:
  // Runs the io_context until `n` results arrived (or a generous guard against hangs passes).
  void run_until(std::size_t n) {
    for (int i = 0; i < 2000 && results_.size() < n; ++i) io_.run_one_for(10ms);
    ASSERT_EQ(results_.size(), n);
  }
  void send(http_transport& t, const destination& ep, duration timeout = 5s) {
    t.send(ep, "<body/>", timeout, [this](attempt_result r) { results_.push_back(std::move(r)); });
  }
  attempt_result one(const loopback_server& s, http_transport_options o = {},
                     duration timeout = 5s) {
    http_transport t(io_, o);
    send(t, parse_destination("http://127.0.0.1:" + s.port() + "/"), timeout);
    run_until(results_.size() + 1);
    return results_.back();
  }

  boost::asio::io_context io_;
  std::vector<attempt_result> results_;
};

TEST_F(http_transport_test, sends_salesforce_headers_and_reads_the_ack) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  http_transport t(io_);
  send(t, parse_destination("http://127.0.0.1:" + s.port() + "/erp/sf?x=1"));
  run_until(1);
  const attempt_result& r = results_[0];
  ASSERT_EQ(r.error, transport_error::none) << r.detail;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.reason, "OK");
  EXPECT_EQ(r.response.content_type, "text/xml; charset=utf-8");
  EXPECT_EQ(r.response.body, testing::ack_true_body);
  EXPECT_TRUE(judge(r).delivered);
  const std::string& head = s.request_heads().at(0);
  EXPECT_EQ(head.substr(0, head.find("\r\n")), "POST /erp/sf?x=1");
  EXPECT_NE(head.find("Host: 127.0.0.1:" + s.port() + "\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/xml; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("SOAPAction: \"\"\r\n"), std::string::npos);
  EXPECT_NE(head.find("User-Agent: Jakarta Commons-HttpClient/3.1\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_EQ(s.request_bodies().at(0), "<body/>");
}

TEST_F(http_transport_test, calls_back_once_and_never_inside_send) {
  std::string port;
  {
    boost::asio::ip::tcp::acceptor a(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = std::to_string(a.local_endpoint().port());
  }
  http_transport t(io_);
  send(t, parse_destination("http://127.0.0.1:" + port + "/"));
  EXPECT_TRUE(results_.empty());
  run_until(1);
  io_.restart();
  io_.run_for(50ms);
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].error, transport_error::refused);
  EXPECT_EQ(results_[0].phase, transport_phase::connect);
  EXPECT_EQ(judge(results_[0]).reason,
            "java.net.ConnectException: Connection refused (Connection refused)");
}

TEST_F(http_transport_test, reset_is_connection_reset) {
  loopback_server s(io_, [](std::size_t) { return reply{reply::kind::reset, {}}; });
  attempt_result r = one(s);
  EXPECT_EQ(r.error, transport_error::reset) << r.detail;
  EXPECT_TRUE(r.phase == transport_phase::read || r.phase == transport_phase::write);
  EXPECT_EQ(judge(r).reason, "java.net.SocketException: Connection reset");
}

TEST_F(http_transport_test, close_without_answer_is_unexpected_end_of_file) {
  loopback_server s(io_, [](std::size_t) { return reply{reply::kind::close, {}}; });
  attempt_result r = one(s);
  EXPECT_EQ(r.error, transport_error::closed) << r.detail;
  EXPECT_EQ(judge(r).failure_class, "closed");
}

TEST_F(http_transport_test, truncated_body_is_closed) {
  std::string raw = reply::http(200, "OK", testing::ack_true_body);
  raw.resize(raw.size() - 20);
  loopback_server s(io_, [&](std::size_t) { return reply{reply::kind::respond_and_close, raw}; });
  attempt_result r = one(s);
  EXPECT_EQ(r.error, transport_error::closed) << r.detail;
}

TEST_F(http_transport_test, stall_is_read_timed_out) {
  loopback_server s(io_, [](std::size_t) { return reply{reply::kind::stall, {}}; });
  attempt_result r = one(s, {}, 100ms);
  EXPECT_EQ(r.error, transport_error::timeout) << r.detail;
  EXPECT_EQ(r.phase, transport_phase::read);
  EXPECT_EQ(judge(r).reason, "java.net.SocketTimeoutException: Read timed out");
  EXPECT_GE(r.elapsed, 100ms);
}

TEST_F(http_transport_test, not_http_is_a_protocol_error) {
  loopback_server s(io_, [](std::size_t) {
    return reply{reply::kind::respond_and_close, "SSH-2.0-OpenSSH_9.2\r\n\r\n"};
  });
  attempt_result r = one(s);
  EXPECT_EQ(r.error, transport_error::protocol) << r.detail;
}

TEST_F(http_transport_test, body_over_the_limit_is_a_protocol_error) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(std::string(5000, 'x')); });
  attempt_result r = one(s, {.body_limit = 4096});
  EXPECT_EQ(r.error, transport_error::protocol) << r.detail;
}

TEST_F(http_transport_test, http_status_and_bodies_are_judged_as_salesforce_does) {
  std::vector<reply> replies{
      {reply::kind::respond,
       reply::http(503, "Service Unavailable", "<html>down</html>", "text/html")},
      {reply::kind::respond,
       reply::http(200, "OK", "Service temporarily unavailable", "text/html")},
      reply::ok(std::string(testing::ack_true_body)
                    .replace(testing::ack_true_body.find("true"), 4, "false"))};
  loopback_server s(io_, [&](std::size_t n) { return replies.at(n); });
  http_transport t(io_);
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  for (int i = 0; i < 3; ++i) {
    send(t, ep);
    run_until(i + 1);
  }
  EXPECT_EQ(results_[0].response.status, 503);
  EXPECT_EQ(judge(results_[0]).reason, "(503)Service Unavailable");
  EXPECT_EQ(judge(results_[1]).failure_class, "not_xml");
  EXPECT_NE(judge(results_[1]).reason.find("SAXParseException"), std::string::npos);
  EXPECT_EQ(judge(results_[2]).failure_class, "nack");
  EXPECT_EQ(judge(results_[2]).reason, "SOAP response was a nack");
}

TEST_F(http_transport_test, keeps_connections_alive_and_reuses_them) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  http_transport t(io_);
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/a");
  auto same_host = parse_destination("http://127.0.0.1:" + s.port() + "/b");
  for (int i = 0; i < 5; ++i) {
    send(t, i % 2 ? ep : same_host);
    run_until(i + 1);
  }
  EXPECT_EQ(s.connections(), 1u);
  EXPECT_EQ(s.requests(), 5u);
  EXPECT_EQ(t.stats().connections_opened, 1u);
  EXPECT_EQ(t.stats().reused, 4u);
  EXPECT_EQ(t.open_connections(ep), 1u);
  for (int i = 0; i < 5; ++i) {
    const std::string& head = s.request_heads().at(i);
    EXPECT_EQ(head.substr(0, head.find("\r\n")), i % 2 ? "POST /a" : "POST /b");
  }
}

// The transport keeps the last pool and request head at hand: switching between endpoints and
// body sizes must still send each request its own target, Host and Content-Length.
TEST_F(http_transport_test, each_request_carries_its_own_target_host_and_length) {
  loopback_server first(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  loopback_server second(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  http_transport t(io_);
  const auto a = parse_destination("http://127.0.0.1:" + first.port() + "/a");
  const auto b = parse_destination("http://127.0.0.1:" + second.port() + "/b");
  const auto c = parse_destination("http://127.0.0.1:" + first.port() + "/c");
  const std::vector<std::pair<const destination*, std::string>> sends{
      {&a, "<x/>"}, {&b, "<xx/>"}, {&c, "<xxx/>"}, {&a, "<xxxx/>"}, {&b, "<y/>"}};
  for (const auto& [to, body] : sends)
    t.send(*to, body, 5s, [this](attempt_result r) { results_.push_back(std::move(r)); });
  run_until(sends.size());
  ASSERT_EQ(first.request_heads().size(), 3u);
  ASSERT_EQ(second.request_heads().size(), 2u);
  const auto expect = [](const std::string& head, std::string_view line, const std::string& port,
                         std::size_t length) {
    EXPECT_EQ(head.substr(0, head.find("\r\n")), line) << head;
    EXPECT_NE(head.find("Host: 127.0.0.1:" + port + "\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Content-Length: " + std::to_string(length) + "\r\n"), std::string::npos)
        << head;
  };
  // Requests on one server's connections may arrive in any order: match them by body.
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string& body = first.request_bodies().at(i);
    expect(first.request_heads().at(i), body == "<xxx/>" ? "POST /c" : "POST /a", first.port(),
           body.size());
  }
  for (std::size_t i = 0; i < 2; ++i)
    expect(second.request_heads().at(i), "POST /b", second.port(),
           second.request_bodies().at(i).size());
}

TEST_F(http_transport_test, connection_close_is_honoured) {
  loopback_server s(io_, [](std::size_t) {
    return reply{reply::kind::respond, reply::http(200, "OK", testing::ack_true_body, "text/xml",
                                                   "Connection: close\r\n")};
  });
  http_transport t(io_);
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  for (int i = 0; i < 3; ++i) {
    send(t, ep);
    run_until(i + 1);
    EXPECT_EQ(results_.back().error, transport_error::none) << results_.back().detail;
  }
  EXPECT_EQ(s.connections(), 3u);
  EXPECT_EQ(t.stats().stale_retries, 0u);
}

TEST_F(http_transport_test, a_kept_alive_connection_closed_by_the_server_is_retried_once) {
  loopback_server s(io_, [](std::size_t) {
    return reply{reply::kind::respond_and_close, reply::http(200, "OK", testing::ack_true_body)};
  });
  http_transport t(io_);
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  send(t, ep);
  run_until(1);
  io_.run_for(20ms);  // lets the server's close arrive before the next request
  send(t, ep);
  run_until(2);
  EXPECT_EQ(results_[1].error, transport_error::none) << results_[1].detail;
  EXPECT_EQ(s.connections(), 2u);
  EXPECT_EQ(t.stats().stale_retries, 1u);
}

TEST_F(http_transport_test, honours_the_connection_cap) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  http_transport t(io_, {.max_connections = 3});
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  for (int i = 0; i < 10; ++i) send(t, ep);
  EXPECT_EQ(t.open_connections(ep), 3u);
  EXPECT_EQ(t.waiting(ep), 7u);
  run_until(10);
  for (auto& r : results_) EXPECT_EQ(r.error, transport_error::none) << r.detail;
  EXPECT_EQ(s.connections(), 3u);
  EXPECT_LE(s.peak_concurrent(), 3u);
  EXPECT_EQ(t.waiting(ep), 0u);
}

// A request sent from a callback (the engine refilling its window, the load generator's next
// message) waits for the connection that has just answered, instead of waking an idle one or
// starting a coroutine for it.
TEST_F(http_transport_test, a_request_sent_from_a_callback_goes_to_the_connection_that_answered) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  http_transport t(io_, {.max_connections = 2});
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  std::optional<std::size_t> waiting_in_callback;
  t.send(ep, "<first/>", 5s, [&](attempt_result r) {
    results_.push_back(std::move(r));
    send(t, ep);
    waiting_in_callback = t.waiting(ep);
  });
  run_until(2);
  EXPECT_EQ(waiting_in_callback, 1u);
  EXPECT_EQ(results_[1].error, transport_error::none) << results_[1].detail;
  EXPECT_EQ(s.connections(), 1u);
  EXPECT_EQ(t.stats().reused, 1u);
  EXPECT_EQ(t.waiting(ep), 0u);
}

TEST_F(http_transport_test, a_callback_may_destroy_the_transport) {
  loopback_server s(io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  auto t = std::make_unique<http_transport>(io_);
  auto ep = parse_destination("http://127.0.0.1:" + s.port() + "/");
  t->send(ep, "<first/>", 5s, [&](attempt_result r) {
    results_.push_back(std::move(r));
    send(*t, ep);  // queued for this connection, then dropped with the transport
    t.reset();
  });
  run_until(1);
  io_.restart();
  io_.run_for(50ms);
  EXPECT_EQ(results_.size(), 1u);  // the queued request's callback is dropped, not called
}

TEST_F(http_transport_test, unknown_host_is_unreachable) {
  http_transport t(io_);
  send(t, parse_destination("http://no-such-host.invalid:8080/"));
  run_until(1);
  EXPECT_EQ(results_[0].error, transport_error::unknown_host) << results_[0].detail;
  EXPECT_EQ(results_[0].phase, transport_phase::resolve);
  EXPECT_EQ(results_[0].host, "no-such-host.invalid");
  EXPECT_EQ(judge(results_[0]).failure_class, "unreachable");
  EXPECT_EQ(judge(results_[0]).reason, "java.net.UnknownHostException: no-such-host.invalid");
}

TEST_F(http_transport_test, destroying_the_transport_drops_pending_callbacks) {
  loopback_server s(io_, [](std::size_t) { return reply{reply::kind::stall, {}}; });
  {
    http_transport t(io_);
    send(t, parse_destination("http://127.0.0.1:" + s.port() + "/"));
    for (int i = 0; i < 20 && s.requests() == 0; ++i) io_.run_one_for(10ms);
    ASSERT_EQ(s.requests(), 1u);
  }
  io_.run_for(50ms);
  EXPECT_TRUE(results_.empty());
}

TEST(http_transport_options_test, bad_tls_files_are_input_errors) {
  boost::asio::io_context io;
  EXPECT_THROW(http_transport(io, {.ca_file = "/nonexistent/ca.pem"}), input_error);
  EXPECT_THROW(http_transport(io, {.client_cert_file = "/nonexistent/c.pem"}), input_error);
}

}  // namespace
}  // namespace outbound::sender
