#pragma once
// Internal to the mock server (server.cpp, connection.cpp): its state on the io_context and the
// coroutines that accept connections and carry out the endpoint's outcomes.
//   auto impl = std::make_shared<server_impl>(io, ep, clock, options);  impl->start(impl);

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mock_endpoint/admin.hpp"
#include "mock_endpoint/event_ring.hpp"
#include "mock_endpoint/server.hpp"

namespace outbound::mock_endpoint::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct server_impl {
  server_impl(asio::io_context& io, responder& ep, const outbound::clock& clock,
              server_options options);

  void start(const std::shared_ptr<server_impl>& self);
  // On the io_context: closes the listeners and every connection but the event streams, which
  // end their bodies themselves and are closed after `stream_grace` if they have not.
  void stop_now(const std::shared_ptr<server_impl>& self);
  void open_acceptor(const tcp::endpoint& at);
  std::shared_ptr<tcp::acceptor> make_acceptor(const tcp::endpoint& at);
  // Logs the fault windows that opened or closed since the last call (the supervisor's tick, and
  // every admin request that may change them).
  void log_window_changes();
  // Closes the connections whose read or write has outlived its deadline (the supervisor's tick).
  void close_overdue_connections();
  void make_tls_contexts();

  asio::awaitable<void> accept_loop(std::shared_ptr<server_impl> self,
                                    std::shared_ptr<tcp::acceptor> a, bool admin_only = false);
  asio::awaitable<void> supervise_refusals(std::shared_ptr<server_impl> self);
  asio::awaitable<void> connection(std::shared_ptr<server_impl> self, tcp::socket socket);
  asio::awaitable<void> admin_connection(std::shared_ptr<server_impl> self, tcp::socket socket);
  // A request answered (counted in the endpoint's response metrics) or a connection a fault
  // ended (not a request); logged with --log requests|json.
  void answered(const request_log_entry& e);
  void connection_faulted(const request_log_entry& e);
  // Whether `authorization` carries the admin token; compared in constant time.
  bool token_matches(std::string_view authorization) const;
  // Wakes the event streams waiting for news.
  void wake_event_streams();

  // A connection's way out for the admin streams: writes `data` within `deadline`; false when the
  // connection is gone. The streams write their own head and chunked framing through it.
  using stream_write =
      std::function<asio::awaitable<bool>(std::string_view data, duration deadline)>;
  // GET /__admin/events: the events after `after`, then each as it happens, until the client
  // leaves or the mock stops (then a mock_stopped event and the end of the chunked body).
  // `timer` is the connection's, which stop() cancels.
  asio::awaitable<void> stream_events(stream_write write, asio::steady_timer& timer,
                                      std::uint64_t after);
  // GET /__admin/ledger/export and /__admin/ledger/records: the listing in pages, the lock taken
  // per page only. A reset during it cuts the body short (no final chunk): the client sees an
  // incomplete answer, never a shorter list that looks whole.
  asio::awaitable<void> stream_listing(stream_write write, admin_stream which);

  asio::io_context& io;
  responder& ep;
  const outbound::clock& clock;
  server_options options;
  std::mutex mutex;  // guards ep

  std::shared_ptr<tcp::acceptor> acceptor;
  tcp::endpoint bound;
  bool admin_enabled = false;
  std::shared_ptr<tcp::acceptor> admin_acceptor;  // the admin listener, if any
  tcp::endpoint admin_bound;
  bool admin_listener_enabled = false;
  std::vector<std::string> open_windows;  // as last logged
  std::atomic<bool> stopped{false};
  asio::steady_timer* refuse_timer = nullptr;

  // Live connections, so that stop() can end them.
  struct live_connection {
    tcp::socket* socket;
    asio::steady_timer* timer;
    bool admin = false;      // on the admin listener: an outage does not close it
    bool streaming = false;  // an event stream: stop() lets it say goodbye and end its body
    // When the read or write under way must have ended; the supervisor's tick closes the
    // connection past it. One store per step instead of a timer armed and cancelled per
    // operation (Beast's tcp_stream deadlines were 2.7k instructions of every request).
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  };
  std::map<std::uint64_t, live_connection> live;
  std::uint64_t next_id = 0;
  static constexpr auto stream_grace = std::chrono::seconds(2);
  std::unique_ptr<asio::steady_timer> grace_timer;  // set by stop_now while streams end

  event_ring events;
  std::set<asio::steady_timer*> event_waiters;  // timers of the event streams waiting for news

  std::unique_ptr<ssl::context> good, untrusted, wrong_host, expired, client_certificate_required;
};

}  // namespace outbound::mock_endpoint::detail
