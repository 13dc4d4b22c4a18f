#pragma once
// A small blocking HTTP(S) client for the mock server's socket tests, and a server running on a
// background thread. Each exchange runs on its own io_context with a deadline on every step.
//   running_server s(plan);
//   auto r = exchange(s.port(), {post_request(body)});  r[0].status == 200

#include <openssl/ssl.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <thread>

#include "mock_endpoint/server.hpp"
#include "tests/mock_endpoint/helpers.hpp"

namespace outbound::mock_endpoint::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A clock that tests move from their own thread while the server reads it.
class test_clock final : public outbound::clock {
 public:
  explicit test_clock(time_point start) : us_(start.time_since_epoch().count()) {}
  time_point now() const override { return time_point(duration(us_.load())); }
  void advance(duration d) { us_ += d.count(); }

 private:
  std::atomic<std::int64_t> us_;
};

struct running_server {
  explicit running_server(fault_plan plan = {}, server_options o = {}, responder_options eo = {},
                          time_point start = t0())
      : clock(start), ep(std::move(plan), 1, std::move(eo), start), srv(io, ep, clock, o) {
    srv.start();
    thread = std::thread([this] { io.run(); });
  }
  ~running_server() {
    srv.stop();
    thread.join();
  }
  std::uint16_t port() const { return srv.port(); }
  // Reads the endpoint under the server's lock.
  template <class F>
  auto with_endpoint(F f) {
    std::scoped_lock lock(srv.mutex());
    return f(ep);
  }

  asio::io_context io;
  test_clock clock;
  responder ep;
  server srv;
  std::thread thread;
};

struct client_result {
  boost::system::error_code ec;    // of the step that failed, if any
  std::string stage;               // "connect", "handshake", "write", "read"
  long verify_result = X509_V_OK;  // OpenSSL's verdict on the server certificate
  int status = 0;
  std::string reason, content_type, retry_after, body;
};

struct client_tls {
  asio::ssl::context* context = nullptr;
  std::string host = "localhost";  // SNI and the name checked against the certificate
};

inline std::string post_request(const std::string& body, const std::string& target = "/",
                                const std::string& extra_headers = "") {
  return "POST " + target +
         " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n"
         "SOAPAction: \"\"\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string get_request(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n";
}

// GCC 12 warns wrongly about Asio's coroutine frame allocator in inlined coroutines.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace detail {

template <class Stream>
asio::awaitable<void> talk(Stream& stream, beast::tcp_stream& tcp,
                           const std::vector<std::string>& requests, duration timeout,
                           std::vector<client_result>& out) {
  beast::flat_buffer buffer;
  for (const auto& raw : requests) {
    client_result r;
    tcp.expires_after(timeout);
    auto [wec, wn] =
        co_await asio::async_write(stream, asio::buffer(raw), asio::as_tuple(asio::use_awaitable));
    if (wec) {
      r.ec = wec;
      r.stage = "write";
      out.push_back(r);
      co_return;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [ec, n] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      r.ec = ec;
      r.stage = "read";
      out.push_back(r);
      co_return;
    }
    const auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    r.reason = res.reason();
    r.content_type = res[http::field::content_type];
    r.retry_after = res["Retry-After"];
    r.body = res.body();
    out.push_back(r);
  }
}

inline asio::awaitable<void> run(std::string host, std::uint16_t port,
                                 std::vector<std::string> requests, duration timeout,
                                 client_tls tls, std::vector<client_result>& out) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream tcp(ex);
  tcp.expires_after(timeout);
  auto [ec] = co_await tcp.async_connect(tcp::endpoint(asio::ip::make_address(host), port),
                                         asio::as_tuple(asio::use_awaitable));
  if (ec) {
    client_result r;
    r.ec = ec;
    r.stage = "connect";
    out.push_back(r);
    co_return;
  }
  if (!tls.context) {
    co_await talk(tcp, tcp, requests, timeout, out);
    co_return;
  }
  asio::ssl::stream<beast::tcp_stream> stream(std::move(tcp), *tls.context);
  SSL_set_tlsext_host_name(stream.native_handle(), tls.host.c_str());
  SSL_set1_host(stream.native_handle(), tls.host.c_str());
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client,
                                               asio::as_tuple(asio::use_awaitable));
  if (hec) {
    client_result r;
    r.ec = hec;
    r.stage = "handshake";
    r.verify_result = SSL_get_verify_result(stream.native_handle());
    out.push_back(r);
    co_return;
  }
  co_await talk(stream, beast::get_lowest_layer(stream), requests, timeout, out);
}

}  // namespace detail

#pragma GCC diagnostic pop

// Sends the requests one after the other on one connection; one result per request answered,
// plus one for the step that failed.
inline std::vector<client_result> exchange(std::uint16_t port, std::vector<std::string> requests,
                                           duration timeout = std::chrono::seconds(10),
                                           client_tls tls = {}, std::string host = "127.0.0.1") {
  asio::io_context io;
  std::vector<client_result> out;
  asio::co_spawn(io, detail::run(host, port, std::move(requests), timeout, tls, out),
                 asio::detached);
  io.run();
  return out;
}

inline client_result exchange_one(std::uint16_t port, const std::string& request,
                                  duration timeout = std::chrono::seconds(10),
                                  client_tls tls = {}) {
  auto r = exchange(port, {request}, timeout, tls);
  return r.empty() ? client_result{} : r.back();
}

}  // namespace outbound::mock_endpoint::testing
