#pragma once
// Enforces the deadlines of HTTP connections with one timer for all of them. A connection sets
// its deadline when a phase starts (connect, handshake, exchange) and clears it when the phase
// ends; the watch wakes at the earliest deadline it knows of, or every `tick` while any
// connection has one, and expires the connections whose deadline has passed. Per request this
// costs storing a time: a timer per connection armed and cancelled around every read and write
// (Beast's tcp_stream) cost a timer-queue insertion, a cancellation and a handler each.
// It wakes no more after the last deadline is cleared (within `tick`), so an io_context with
// nothing else to do returns from run().
//   connection_watch watch(io.get_executor());
//   http_connection c(io.get_executor(), nullptr, &watch);   // destroyed before the watch

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>

#include "common/duration.hpp"

namespace outbound::sender {

class http_connection;

class connection_watch {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit connection_watch(boost::asio::any_io_executor ex,
                            duration tick = std::chrono::milliseconds(50));
  ~connection_watch();
  connection_watch(const connection_watch&) = delete;
  connection_watch& operator=(const connection_watch&) = delete;

  // A connection watched from its construction to its destruction (http_connection calls these).
  void add(http_connection* c);
  void forget(http_connection* c);
  // Called when a connection's deadline is set: the watch wakes by `deadline`. Clearing a
  // deadline costs nothing: the next wake finds it gone.
  void wake_by(time_point now, time_point deadline);

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace outbound::sender
