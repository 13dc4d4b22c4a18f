// One connection of the mock server: it asks the responder what to do, then only reads, waits and
// writes. Every read and write has a deadline, which the server's tick enforces; the body has a
// limit.
// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames (allocated and freed
// by the same awaitable_frame_base operators), depending on what it inlines.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include <boost/asio/ssl.hpp>

#include "mock_endpoint/admin.hpp"
#include "mock_endpoint/server_impl.hpp"
#include "soap/ack.hpp"

namespace outbound::mock_endpoint::detail {
namespace {

// Registers a connection for stop() for as long as it lives.
class live_guard {
 public:
  live_guard(server_impl& s, tcp::socket& socket, asio::steady_timer& timer, bool admin = false)
      : s_(s), id_(s.next_id++) {
    s_.live.emplace(id_, server_impl::live_connection{&socket, &timer, admin});
  }
  ~live_guard() {
    s_.live.erase(id_);
    // The last connection gone after stop(): the io_context need not wait for the grace timer.
    if (s_.stopped && s_.live.empty() && s_.grace_timer) s_.grace_timer->cancel();
  }
  std::uint64_t id() const { return id_; }
  live_guard(const live_guard&) = delete;
  live_guard& operator=(const live_guard&) = delete;

 private:
  server_impl& s_;
  std::uint64_t id_;
};

void reset(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
}

void close_gracefully(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint p = socket.remote_endpoint(ec);
  if (ec) return "-";
  const auto a = p.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(p.port());
}

http_reply soap_error(int status, const std::string& reason) {
  return {status, "", "text/xml; charset=utf-8", {}, soap::write_fault("soapenv:Client", reason)};
}

// What to answer a request that could not be read, if anything.
std::optional<http_reply> read_failure_reply(const boost::system::error_code& ec,
                                             const server_options& o) {
  if (ec == http::error::body_limit)
    return soap_error(413, "request body larger than " + std::to_string(o.body_limit) + " bytes");
  if (ec == http::error::header_limit)
    return soap_error(431, "request head larger than " + std::to_string(o.header_limit) + " bytes");
  if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return soap_error(400, "not an HTTP request: " + ec.message());
  return std::nullopt;  // EOF, timeout, reset: nobody to answer
}

template <class Stream>
class served_connection {
 public:
  served_connection(server_impl& s, Stream& stream, tcp::socket& socket, asio::steady_timer& timer,
                    std::uint64_t live_id, bool admin_only = false)
      : s_(s),
        stream_(stream),
        socket_(socket),
        timer_(timer),
        live_id_(live_id),
        admin_only_(admin_only),
        deadline_(s.live.at(live_id).deadline) {}

  asio::awaitable<void> run() {
    lowest().expires_never();  // the TLS handshake's deadline, if any: from here on, deadline_
    peer_ = peer_of(socket_);
    beast::flat_buffer buffer;
    // Beast reads at most the buffer's free capacity (512 bytes at first) per system call: room
    // for a 100-notification envelope makes that one read instead of a hundred.
    buffer.reserve(64 * 1024);
    std::string body;  // each request's body, read into the last one's buffer
    for (bool kept_alive = false;; kept_alive = true) {
      http::request_parser<http::string_body> parser;
      body.clear();
      parser.get().body() = std::move(body);
      parser.header_limit(static_cast<std::uint32_t>(s_.options.header_limit));
      parser.body_limit(s_.options.body_limit);
      expire_after(s_.options.header_timeout);
      auto [ec, n] = co_await http::async_read_header(stream_, buffer, parser, use_tuple);
      // Looked up only while a body is to come: most requests have none, or all of it at once.
      const auto expects_continue = [&] {
        return beast::iequals(parser.get()[http::field::expect], "100-continue");
      };
      // The body usually came with the header, in the same read: parse what is buffered here,
      // and go back to the socket only for the rest (a second read operation per request was
      // 5% of the mock's instructions). A client that asked for 100 Continue gets it as before.
      if (!ec && !parser.is_done() && buffer.size() > 0 && !expects_continue()) {
        beast::error_code put_ec;
        buffer.consume(parser.put(buffer.data(), put_ec));
        if (put_ec && put_ec != http::error::need_more) ec = put_ec;
      }
      if (!ec && !parser.is_done()) {
        if (expects_continue()) {
          static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
          expire_after(s_.options.write_timeout);
          std::tie(ec, n) = co_await asio::async_write(stream_, asio::buffer(go_on), use_tuple);
        }
        expire_after(s_.options.body_timeout);
        if (!ec) std::tie(ec, n) = co_await http::async_read(stream_, buffer, parser, use_tuple);
      }
      if (ec) {
        if (auto reply = read_failure_reply(ec, s_.options); reply && !s_.stopped)
          co_await write_all(serialize_head(*reply, reply->body.size(), false), reply->body);
        close_gracefully(socket_);
        co_return;
      }
      expire_never();
      const auto& req = parser.get();
      request_view view;
      view.method = req.method_string();
      view.target = req.target();
      view.body = req.body();
      bool keep = req.keep_alive();
      if (kept_alive && !admin_only_ && !is_admin_target(view.target) && connection_window_open()) {
        // As if the listener had dropped it while idle: the client sends again on a new
        // connection, whose fate on_connection decides (as on the virtual clock).
        close_gracefully(socket_);
        co_return;
      }
      if (admin_only_ && !is_admin_target(view.target)) {
        const http_reply r{404,
                           "",
                           "application/json",
                           {},
                           "{\"error\": \"the admin listener serves /__admin/ only\"}\n"};
        if (!co_await write_all(serialize_head(r, r.body.size(), keep), r.body)) co_return;
      } else if (is_admin_target(view.target)) {
        std::optional<http_reply> refused = refuse_admin(req[http::field::authorization]);
        const admin_stream which = refused ? admin_stream::none : streamed_resource(view);
        if (which != admin_stream::none) {
          const std::string last_event_id(req["Last-Event-ID"]);
          co_await stream(which, view, last_event_id);  // the body ends the connection
          close_gracefully(socket_);
          co_return;
        }
        const http_reply r = refused ? std::move(*refused) : admin(view);
        if (!co_await write_all(serialize_head(r, r.body.size(), keep), r.body)) co_return;
      } else {
        outcome o;
        request_log_entry entry;
        entry.at = s_.clock.now();
        {
          std::scoped_lock lock(s_.mutex);
          o = s_.ep.handle(view, entry.at);
        }
        keep = keep && o.keep_alive;
        const bool usable = co_await carry_out(o, keep);
        entry.peer = peer_;  // for the log and the event stream
        entry.method = view.method;
        entry.target = view.target;
        entry.notifications = o.notifications;
        const bool http_answer =
            o.action == response_action::respond || o.action == response_action::truncated;
        entry.status = http_answer ? o.response.status : 0;
        entry.answer = o.verdict;
        entry.faults = std::move(o.faults);
        entry.took = s_.clock.now() - entry.at;
        s_.answered(entry);
        if (!usable) co_return;
      }
      if (!keep || s_.stopped) {
        close_gracefully(socket_);
        co_return;
      }
      body = std::move(parser.get().body());
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  // The step under way must end within `d`, or the server's tick closes the connection.
  void expire_after(duration d) { deadline_ = std::chrono::steady_clock::now() + d; }
  void expire_never() { deadline_ = std::chrono::steady_clock::time_point::max(); }

  bool connection_window_open() {
    std::scoped_lock lock(s_.mutex);
    return s_.ep.connection_window_open(s_.clock.now());
  }

  // The answer to an admin request that may not pass; none when it may.
  std::optional<http_reply> refuse_admin(std::string_view authorization) const {
    if (!(admin_only_ ? s_.admin_listener_enabled : s_.admin_enabled)) {
      return http_reply{
          403,
          "",
          "application/json",
          {},
          "{\"error\": \"the admin API needs --admin-token on a non-loopback address\"}\n"};
    }
    if (!s_.options.admin_token.empty() && !s_.token_matches(authorization)) {
      return http_reply{401,
                        "",
                        "application/json",
                        {{"WWW-Authenticate", "Bearer"}},
                        "{\"error\": \"Authorization: Bearer <admin token> required\"}\n"};
    }
    return std::nullopt;
  }

  // An admin stream on this connection: a 400 for a bad ?after, else the body until it ends.
  asio::awaitable<void> stream(admin_stream which, const request_view& view,
                               std::string_view last_event_id) {
    server_impl::stream_write write = [this](std::string_view data,
                                             duration deadline) -> asio::awaitable<bool> {
      expire_after(deadline);
      auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(data), use_tuple);
      expire_never();  // a stream waits for news between writes
      co_return !ec;
    };
    if (which != admin_stream::events) {
      co_await s_.stream_listing(write, which);
      co_return;
    }
    const expected<std::uint64_t> after = events_after(view.target, last_event_id);
    if (!after) {
      const http_reply r{400, "", "application/json", {}, admin_error_body(after.error())};
      co_await write_all(serialize_head(r, r.body.size(), false), r.body);
      co_return;
    }
    s_.live.at(live_id_).streaming = true;  // stop() lets the stream end its body
    co_await s_.stream_events(write, timer_, *after);
  }

  http_reply admin(const request_view& view) {
    http_reply r;
    {
      std::scoped_lock lock(s_.mutex);
      r = handle_admin(s_.ep, view, s_.clock.now());
    }
    // An outage started and ended between two of the supervisor's ticks is still logged.
    if (view.method != "GET") s_.log_window_changes();
    return r;
  }

  asio::awaitable<bool> sleep(duration d) {
    if (d <= duration{}) co_return !s_.stopped;
    timer_.expires_after(d);
    auto [ec] = co_await timer_.async_wait(use_tuple);
    co_return !ec && !s_.stopped;
  }

  asio::awaitable<bool> write_all(std::string_view head, std::string_view body) {
    expire_after(s_.options.write_timeout);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    auto [ec, n] = co_await asio::async_write(stream_, buffers, use_tuple);
    expire_never();
    co_return !ec;
  }

  asio::awaitable<bool> write_paced(const outcome& o, std::string_view data, std::size_t head) {
    const std::vector<write_step> steps = write_schedule(o, head, data.size());
    std::size_t offset = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (!co_await write_all(data.substr(offset, steps[i].bytes), {})) co_return false;
      offset += steps[i].bytes;
      if (i + 1 < steps.size() && !co_await sleep(steps[i].wait)) co_return false;
    }
    co_return true;
  }

  // The head of `r`'s answer; the last one is kept, since a connection answers alike most of
  // the time (building it was 2% of a request).
  std::string_view head_of(const http_reply& r, bool keep) {
    const bool same = r.status == last_head_.status && keep == last_head_.keep &&
                      r.body.size() == last_head_.length && r.headers.empty() && r.reason.empty() &&
                      r.content_type == last_head_.content_type;
    if (!same) {
      last_head_ = {r.headers.empty() && r.reason.empty() ? r.status : 0, keep, r.body.size(),
                    r.content_type, serialize_head(r, r.body.size(), keep)};
    }
    return last_head_.text;
  }

  // Returns whether the connection is still usable.
  asio::awaitable<bool> carry_out(const outcome& o, bool keep) {
    if (!co_await sleep(o.delay)) co_return false;
    const std::string& body = o.response.body;
    switch (o.action) {
      case response_action::respond: {
        if (!o.slow_body && !o.bandwidth)
          co_return co_await write_all(head_of(o.response, keep), body);
        const std::string head = serialize_head(o.response, body.size(), keep);
        co_return co_await write_paced(o, head + body, head.size());
      }
      case response_action::truncated: {
        const std::string head = serialize_head(o.response, body.size(), false);
        co_await write_paced(o, head + body.substr(0, o.truncated_at), head.size());
        close_gracefully(socket_);
        co_return false;
      }
      case response_action::garbage:
        co_await write_paced(o, o.garbage, 0);
        close_gracefully(socket_);
        co_return false;
      case response_action::close_without_response:
        close_gracefully(socket_);
        co_return false;
      case response_action::reset:
        reset(socket_);
        co_return false;
      case response_action::stall:
        co_await sleep(o.hold);
        close_gracefully(socket_);
        co_return false;
    }
    co_return false;
  }

  server_impl& s_;
  Stream& stream_;
  tcp::socket& socket_;
  asio::steady_timer& timer_;
  std::uint64_t live_id_;
  bool admin_only_;
  std::chrono::steady_clock::time_point& deadline_;  // in s_.live, whose nodes do not move
  std::string peer_;
  struct {
    int status = 0;  // 0: nothing kept (a reply with a reason or extra headers is not kept)
    bool keep = false;
    std::size_t length = 0;
    std::string content_type, text;
  } last_head_;
};

}  // namespace

// A connection to the admin listener: no fault plan, no TLS, /__admin/ only.
asio::awaitable<void> server_impl::admin_connection(std::shared_ptr<server_impl> self,
                                                    tcp::socket socket) {
  asio::steady_timer timer(io);
  beast::tcp_stream tcp_stream(std::move(socket));
  tcp::socket& raw = tcp_stream.socket();
  live_guard guard(*this, raw, timer, true);
  if (stopped) co_return;
  served_connection<beast::tcp_stream> s(*this, tcp_stream, raw, timer, guard.id(), true);
  co_await s.run();
  (void)self;
}

asio::awaitable<void> server_impl::connection(std::shared_ptr<server_impl> self,
                                              tcp::socket socket) {
  asio::steady_timer timer(io);
  beast::tcp_stream tcp_stream(std::move(socket));
  tcp::socket& raw = tcp_stream.socket();
  live_guard guard(*this, raw, timer);
  if (stopped) co_return;

  connection_outcome c;
  {
    std::scoped_lock lock(mutex);
    c = ep.on_connection(clock.now());
  }
  if (c.fault) {
    request_log_entry e;
    e.at = clock.now();
    e.peer = peer_of(raw);
    e.answer = "connection";
    e.faults.push_back(*c.fault);
    connection_faulted(e);
  }
  switch (c.action) {
    case connection_action::refuse:  // refused by counter or chance: the closest is a reset
    case connection_action::reset:
      reset(raw);
      co_return;
    case connection_action::close:
      close_gracefully(raw);
      co_return;
    case connection_action::stall: {
      timer.expires_after(c.hold);
      co_await timer.async_wait(use_tuple);
      close_gracefully(raw);
      co_return;
    }
    case connection_action::tls_failure:
    case connection_action::accept:
      break;
  }

  if (!options.tls) {
    served_connection<beast::tcp_stream> s(*this, tcp_stream, raw, timer, guard.id());
    co_await s.run();
    co_return;
  }
  ssl::context* ctx = good.get();
  if (c.action == connection_action::tls_failure) {
    ctx = c.tls == tls_failure_kind::untrusted  ? untrusted.get()
          : c.tls == tls_failure_kind::hostname ? wrong_host.get()
          : c.tls == tls_failure_kind::expired  ? expired.get()
                                                : client_certificate_required.get();
  }
  ssl::stream<beast::tcp_stream> stream(std::move(tcp_stream), *ctx);
  tcp::socket& tls_raw = beast::get_lowest_layer(stream).socket();
  live_guard tls_guard(*this, tls_raw, timer);
  beast::get_lowest_layer(stream).expires_after(options.header_timeout);
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
  if (ec || c.action == connection_action::tls_failure) {
    close_gracefully(tls_raw);
    co_return;
  }
  served_connection<ssl::stream<beast::tcp_stream>> s(*this, stream, tls_raw, timer,
                                                      tls_guard.id());
  co_await s.run();
  (void)self;
}

}  // namespace outbound::mock_endpoint::detail
