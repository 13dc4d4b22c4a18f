#pragma once
// The real transport: HTTP/1.1 POSTs with Boost.Beast over Asio (C++20 coroutines), a keep-alive
// connection pool per endpoint (scheme, host, port) with a cap on concurrent connections, connect
// and request deadlines, HTTPS with chain and host-name verification on by default, and failures
// classified into transport_error. Runs on the caller's single-threaded io_context.
// Elapsed times are measured on a monotonic clock (std::chrono::steady_clock), not the wall clock.
//   boost::asio::io_context io;
//   http_transport t(io, {.max_connections = 32});
//   t.send(parse_destination(url), body, std::chrono::seconds(60), [](attempt_result r) { ... });
//   io.run();

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sender/transport.hpp"

namespace boost::asio {
class io_context;
}

namespace outbound::sender {

// Captures of Salesforce outbound messages show this User-Agent (Apache Commons HttpClient 3.1
// inside Salesforce's Java stack); listeners that log or filter on it see what production sends.
inline constexpr std::string_view salesforce_user_agent = "Jakarta Commons-HttpClient/3.1";

struct http_transport_options {
  std::size_t max_connections = 10;                     // per endpoint, concurrent
  duration connect_timeout = std::chrono::seconds(10);  // TCP connect; TLS counts as request time
  std::size_t body_limit = 1024 * 1024;                 // response bodies beyond it fail (protocol)
  bool verify_peer = true;  // certificate chain and host name; off only for experiments
  std::string ca_file{};    // PEM of trusted CAs; empty: the system's trust store
  std::string ca_pem{};     // PEM text of trusted CAs, as ca_file (a scenario's CA made at start)
  std::string client_cert_file{};  // PEM client certificate (chain) for mutual TLS; with key file
  std::string client_key_file{};
  std::string user_agent = std::string(salesforce_user_agent);
};

// Counters since construction, for progress lines and tests.
struct http_transport_stats {
  std::uint64_t requests = 0;            // send() calls
  std::uint64_t connections_opened = 0;  // TCP connections established
  std::uint64_t reused = 0;              // requests sent on a kept-alive connection
  std::uint64_t stale_retries = 0;       // requests resent because a kept-alive one had closed
};

class http_transport final : public transport {
 public:
  // Throws input_error when the CA file or the client certificate or key cannot be loaded.
  explicit http_transport(boost::asio::io_context& io, http_transport_options options = {});
  ~http_transport() override;  // closes every connection; callbacks not yet called are dropped
  http_transport(const http_transport&) = delete;
  http_transport& operator=(const http_transport&) = delete;

  void send(const destination& to, std::string body, duration timeout,
            std::function<void(attempt_result)> done) override;

  http_transport_stats stats() const;
  // Connections open to the endpoint's (scheme, host, port), busy or idle.
  std::size_t open_connections(const destination& to) const;
  // Requests waiting for a connection to the endpoint because all max_connections are busy.
  std::size_t waiting(const destination& to) const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace outbound::sender
