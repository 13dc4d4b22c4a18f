#pragma once
// The real mock endpoint on 127.0.0.1:0, served by its own thread, and a client side (wall-clock
// scheduler and Beast transport) on the test's thread, for tests over loopback.
//   live_mock mock(plan);  client c;  ... c.io.run();  mock.ledger_notifications()

#include <boost/asio/io_context.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.hpp"
#include "mock_endpoint/responder.hpp"
#include "mock_endpoint/server.hpp"
#include "sender/asio_scheduler.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"

namespace outbound::modes::testing {

class live_mock {
 public:
  explicit live_mock(mock_endpoint::fault_plan plan = {},
                     std::optional<mock_endpoint::tls_settings> tls = std::nullopt)
      : endpoint_(std::move(plan), 1, responder_options(tls.has_value()), clock_.now()),
        server_(io_, endpoint_, clock_, server_options(std::move(tls))) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~live_mock() {
    server_.stop();
    thread_.join();
  }

  static mock_endpoint::responder_options responder_options(bool tls) {
    mock_endpoint::responder_options o;
    o.tls = tls;
    return o;
  }
  static mock_endpoint::server_options server_options(
      std::optional<mock_endpoint::tls_settings> tls) {
    mock_endpoint::server_options o;
    o.tls = std::move(tls);
    return o;
  }

  sender::destination url() const { return sender::parse_destination(server_.url() + "/sfdc"); }

  template <class F>
  auto with_endpoint(F f) {
    std::lock_guard lock(server_.mutex());
    return f(endpoint_);
  }

 private:
  system_clock clock_;
  boost::asio::io_context io_;
  mock_endpoint::responder endpoint_;
  mock_endpoint::server server_;
  std::thread thread_;
};

struct client {
  explicit client(std::size_t connections = 10, std::string ca_file = {})
      : sched(io, clock), transport(io, options(connections, std::move(ca_file))) {}

  static sender::http_transport_options options(std::size_t connections, std::string ca_file) {
    sender::http_transport_options o;
    o.max_connections = connections;
    o.ca_file = std::move(ca_file);
    return o;
  }

  boost::asio::io_context io;
  system_clock clock;
  sender::asio_scheduler sched;
  sender::http_transport transport;
};

}  // namespace outbound::modes::testing
