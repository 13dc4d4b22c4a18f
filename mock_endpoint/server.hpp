#pragma once
// The mock endpoint on a socket: Beast over Asio coroutines on a caller's io_context, HTTP/1.1
// keep-alive, deadlines, a body limit, HTTPS (optionally demanding a client certificate), IPv4/6.
// Connections only read, wait and write what the responder decides; /__admin/ goes to handle_admin,
// except the streams (events, ledger export), which admin_streams.cpp writes chunk by chunk.
// An optional second listener (plain HTTP) serves /__admin/ only and no fault ever touches it.
//   boost::asio::io_context io;  responder ep(plan, seed, {}, clock.now());
//   server s(io, ep, clock, {.port = 0});  s.start();  std::cout << s.url();  io.run();
//   // from any thread: s.stop();  the io_context then runs out of work

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "mock_endpoint/request_log.hpp"
#include "mock_endpoint/responder.hpp"
#include "net/test_certificates.hpp"

namespace boost::asio {
class io_context;
}

namespace outbound::mock_endpoint {

namespace detail {
struct server_impl;
}

struct tls_settings {
  std::string certificate_pem;  // the server's chain, leaf first
  std::string private_key_pem;
  std::string client_ca_pem;  // when set, clients must present a certificate it signed
  // Issues the certificates of the tls_hostname and tls_expired faults. Clients that trust it see
  // exactly those errors; when empty a CA is made at start, and clients see "untrusted" first.
  net::pem_identity fault_ca;
};

struct admin_listener {
  std::string host = "127.0.0.1";  // as server_options::host
  std::uint16_t port = 0;
};

struct server_options {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 address ("::1", "[::1]"), or localhost
  std::uint16_t port = 0;          // 0: any free port; port() tells which
  std::optional<tls_settings> tls;
  // Required for /__admin/ on a non-loopback address (else the admin API answers 403); when
  // set, requests need "Authorization: Bearer <token>".
  std::string admin_token;
  duration header_timeout = std::chrono::seconds(60);  // idle keep-alive + reading a request head
  duration body_timeout = std::chrono::seconds(60);    // reading a request body
  duration write_timeout = std::chrono::seconds(60);   // each write of an answer
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t header_limit = 64 * 1024;
  // How often refuse windows and deadlines are checked (a deadline is kept this much late at most).
  duration refuse_poll = std::chrono::milliseconds(50);
  // A listener for /__admin/ only that faults never apply to (refuse closes only the main port);
  // off loopback it needs admin_token like the main port.
  std::optional<admin_listener> admin;
  // Gets a line (no newline) when a fault window opens or closes, and with log_format text or
  // json one per request (request_log.hpp).
  std::function<void(const std::string&)> log;
  log_format log_as = log_format::quiet;
  // GET /__admin/events: how many events are kept for watchers that resume, and how often an
  // idle stream gets a comment line (so that a watcher that went away is noticed).
  std::size_t event_ring_size = 10000;
  duration events_keepalive = std::chrono::seconds(15);
};

class server {
 public:
  // `ep` and `clock` must outlive the io_context's run; `clock` gives the handler's `now`.
  server(boost::asio::io_context& io, responder& ep, const outbound::clock& clock,
         server_options options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds, listens and starts accepting on the io_context. Throws std::system_error when the
  // address cannot be bound, std::runtime_error for bad TLS material.
  void start();
  // Thread-safe: stops accepting and ends every connection; the io_context's work then ends.
  void stop();

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:8080", "https://[::1]:8443"
  bool admin_enabled() const;
  // The admin listener's port and "http://127.0.0.1:PORT"; 0 and "" without one.
  std::uint16_t admin_port() const;
  std::string admin_url() const;

  // Held while the endpoint is used; lock it to read the endpoint from another thread.
  std::mutex& mutex();

 private:
  std::shared_ptr<detail::server_impl> impl_;
};

}  // namespace outbound::mock_endpoint
