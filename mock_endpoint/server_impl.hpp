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
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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
  void stop_now();  // on the io_context
  void open_acceptor(const tcp::endpoint& at);
  std::shared_ptr<tcp::acceptor> make_acceptor(const tcp::endpoint& at);
  // Logs the fault windows that opened or closed since the last call (the supervisor's tick, and
  // every admin request that may change them).
  void log_window_changes();
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
    bool admin = false;  // on the admin listener: an outage does not close it
  };
  std::map<std::uint64_t, live_connection> live;
  std::uint64_t next_id = 0;

  std::unique_ptr<ssl::context> good, untrusted, wrong_host, expired, client_certificate_required;
};

}  // namespace outbound::mock_endpoint::detail
