#pragma once
// One client connection of the HTTP transport, plain TCP or TLS: connect (resolve, TCP connect with
// its own deadline, TLS handshake with SNI and chain + host-name verification), then any number of
// request/response exchanges while the server keeps it alive. Errors come back as attempt_results.
// Deadlines are kept by a connection_watch (without one, none is enforced): a connection that
// passes its deadline is closed and its pending operation fails as a timeout.
//   http_connection c(io.get_executor(), tls_ctx_or_null, &watch);
//   attempt_result r = co_await c.connect(ep, 10s, 60s);
//   if (r.error == transport_error::none) r = co_await c.exchange(head, body, 60s, 1 << 20);
//   r = co_await c.exchange_streaming(head, {}, deadline, [](const http_response&, auto data)
//   {...});

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sender/connection_watch.hpp"
#include "sender/transport.hpp"

namespace outbound::sender {

class http_connection {
 public:
  // `tls` is null for http; it and `watch` (which enforces the deadlines) must outlive the
  // connection.
  http_connection(boost::asio::any_io_executor ex, boost::asio::ssl::context* tls,
                  connection_watch* watch);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  // Resolves, connects within `connect_timeout`, and for https handshakes within
  // `handshake_timeout`.
  boost::asio::awaitable<attempt_result> connect(const destination& ep, duration connect_timeout,
                                                 duration handshake_timeout);

  // Writes `head` then `body` and reads one response, all within `timeout`.
  boost::asio::awaitable<attempt_result> exchange(std::string_view head, std::string_view body,
                                                  duration timeout, std::size_t body_limit);

  // Called with the response's head (its body empty) and each piece of the body as it arrives;
  // returns false to stop reading (the connection is then closed).
  using body_sink = std::function<bool(const http_response& head, std::string_view data)>;
  // Like exchange, for bodies that are long or never end (a server-sent event stream, a
  // listing): the body goes to `sink` piece by piece, sized, chunked or up to the server's close,
  // with no limit. `deadline` bounds the whole exchange (none: no deadline). A body cut short
  // (closed or reset before its end) is an error (closed, reset); the result has no body.
  boost::asio::awaitable<attempt_result> exchange_streaming(std::string_view head,
                                                            std::string_view body,
                                                            std::optional<duration> deadline,
                                                            body_sink sink);

  // Cancels whatever is pending and closes the socket.
  void close();

  // The deadline of the phase under way (connect, handshake, exchange), if it has one.
  std::optional<connection_watch::time_point> deadline() const { return deadline_; }
  // Closes the connection because its deadline passed: what is pending fails as a timeout.
  void expire();

  std::size_t uses() const { return uses_; }  // exchanges started
  // The last exchange completed and the server keeps the connection open.
  bool reusable() const { return reusable_; }
  // The last exchange failed before any byte of a response arrived, with the connection found
  // closed or reset: what a kept-alive connection that the server dropped while idle looks like.
  bool stale() const { return stale_; }

 private:
  struct verify_state {
    int x509_error = 0;  // the first chain error the verify callback saw
    bool hostname_mismatch = false;
  };
  boost::asio::ip::tcp::socket& tcp();
  void set_deadline(duration d);
  // Clears the deadline when the phase that set it ends, by whichever co_return.
  struct phase_end {
    std::optional<connection_watch::time_point>& deadline;
    ~phase_end() { deadline.reset(); }
  };
  attempt_result handshake_failure(const boost::system::error_code& ec) const;
  attempt_result with_host(attempt_result r) const;
  attempt_result failure(const boost::system::error_code& ec, transport_phase phase, bool got_some);
  boost::asio::awaitable<boost::system::error_code> write(std::string_view head,
                                                          std::string_view body);
  // Appends at least one byte to buffer_, with room for `wanted`.
  boost::asio::awaitable<boost::system::error_code> read_more(std::size_t wanted);
  std::string_view buffered() const;  // what buffer_ holds

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ssl::context* tls_context_;
  connection_watch* watch_;
  std::unique_ptr<boost::asio::ip::tcp::socket> plain_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::optional<connection_watch::time_point> deadline_;
  bool timed_out_ = false;  // expire() closed it: errors are timeouts
  std::shared_ptr<verify_state> verify_ = std::make_shared<verify_state>();
  boost::beast::flat_buffer buffer_;
  std::string host_;
  std::size_t uses_ = 0;
  bool reusable_ = false;
  bool stale_ = false;
};

// The transport_error class of an error code from connecting, writing or reading (not the TLS
// handshake, whose errors need the verify callback's findings).
transport_error classify_error(const boost::system::error_code& ec);

}  // namespace outbound::sender
