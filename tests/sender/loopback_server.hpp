#pragma once
// A scripted HTTP(S) server on 127.0.0.1, port 0, running on the test's io_context: each request
// gets the reply the script picks for its number (respond, reset, close, stall, ...), and the
// server counts connections, requests and the peak of concurrent connections.
//   loopback_server s(io, [](std::size_t n) { return reply::ok(ack_body); });
//   destination ep = parse_destination("http://127.0.0.1:" + s.port() + "/ack");

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace outbound::sender::testing {

namespace asio = boost::asio;

struct reply {
  enum class kind {
    respond,            // write `raw`, keep the connection unless it says Connection: close
    respond_and_close,  // write `raw`, then close without saying so (a stale kept-alive connection)
    reset,              // RST instead of an answer
    close,              // close without answering
    stall,              // never answer
  };
  kind what = kind::respond;
  std::string raw;

  static std::string http(int status, std::string reason, std::string body,
                          std::string content_type = "text/xml; charset=utf-8",
                          std::string extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: " + content_type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" +
           body;
  }
  static reply ok(std::string body) { return {kind::respond, http(200, "OK", std::move(body))}; }
};

inline const std::string ack_true_body =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<soapenv:Body><notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
    "<Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";

class loopback_server {
 public:
  using script = std::function<reply(std::size_t request_number)>;

  // `tls`: a server context with its certificate loaded, or null for plain HTTP.
  loopback_server(asio::io_context& io, script s, asio::ssl::context* tls = nullptr)
      : state_(std::make_shared<state>(io, std::move(s), tls)) {
    asio::co_spawn(io, accept_loop(state_), asio::detached);
  }
  ~loopback_server() { state_->stop(); }

  std::string port() const { return std::to_string(state_->acceptor.local_endpoint().port()); }
  std::size_t connections() const { return state_->connections; }
  std::size_t requests() const { return state_->requests.size(); }
  std::size_t peak_concurrent() const { return state_->peak; }
  // The request heads (request line and headers) and bodies, in arrival order.
  const std::vector<std::string>& request_heads() const { return state_->requests; }
  const std::vector<std::string>& request_bodies() const { return state_->bodies; }

 private:
  struct state {
    state(asio::io_context& io, script s, asio::ssl::context* t)
        : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}), run(std::move(s)), tls(t) {}
    void stop() {
      stopped = true;
      boost::system::error_code ec;
      acceptor.close(ec);
      for (auto& s : sockets)
        if (auto p = s.lock()) p->close(ec);
    }
    asio::ip::tcp::acceptor acceptor;
    script run;
    asio::ssl::context* tls;
    std::vector<std::weak_ptr<asio::ip::tcp::socket>> sockets;
    std::vector<std::string> requests, bodies;
    std::size_t connections = 0, active = 0, peak = 0;
    bool stopped = false;
  };

  static asio::awaitable<void> accept_loop(std::shared_ptr<state> s) {
    for (;;) {
      auto [ec, socket] = co_await s->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec || s->stopped) co_return;
      ++s->connections;
      asio::co_spawn(s->acceptor.get_executor(), session(s, std::move(socket)), asio::detached);
    }
  }

  static asio::awaitable<void> session(std::shared_ptr<state> s, asio::ip::tcp::socket raw) {
    auto active = std::shared_ptr<void>(nullptr, [s](void*) { --s->active; });
    s->peak = std::max(s->peak, ++s->active);
    if (!s->tls) {
      auto socket = std::make_shared<asio::ip::tcp::socket>(std::move(raw));
      s->sockets.push_back(socket);
      co_await serve(s, *socket, *socket);
      co_return;
    }
    auto stream =
        std::make_shared<asio::ssl::stream<asio::ip::tcp::socket>>(std::move(raw), *s->tls);
    auto& lowest = stream->next_layer();
    s->sockets.push_back(std::shared_ptr<asio::ip::tcp::socket>(stream, &lowest));
    auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::server,
                                                 asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await serve(s, *stream, lowest);
  }

  template <class Stream>
  static asio::awaitable<void> serve(std::shared_ptr<state> s, Stream& stream,
                                     asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      auto [ec, n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec || s->stopped) co_return;
      std::string head;
      for (auto const& f : parser.get().base())
        head += std::string(f.name_string()) + ": " + std::string(f.value()) + "\r\n";
      s->requests.push_back(std::string(parser.get().method_string()) + " " +
                            std::string(parser.get().target()) + "\r\n" + head);
      s->bodies.push_back(parser.get().body());
      reply r = s->run(s->requests.size() - 1);
      boost::system::error_code ignored;
      switch (r.what) {
        case reply::kind::respond:
        case reply::kind::respond_and_close: {
          auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(r.raw),
                                                      asio::as_tuple(asio::use_awaitable));
          if (wec || r.what == reply::kind::respond_and_close ||
              r.raw.find("Connection: close") != std::string::npos) {
            socket.close(ignored);
            co_return;
          }
          break;
        }
        case reply::kind::reset:
          socket.set_option(asio::socket_base::linger(true, 0), ignored);
          socket.close(ignored);
          co_return;
        case reply::kind::close:
          socket.close(ignored);
          co_return;
        case reply::kind::stall: {
          // Waits for the client to give up; what it reads is discarded.
          char sink[256];
          for (;;) {
            auto [rec, rn] = co_await socket.async_read_some(asio::buffer(sink),
                                                             asio::as_tuple(asio::use_awaitable));
            if (rec) co_return;
          }
        }
      }
    }
  }

  std::shared_ptr<state> state_;
};

}  // namespace outbound::sender::testing
