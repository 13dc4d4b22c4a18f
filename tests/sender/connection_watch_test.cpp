// The connection watch: a deadline is kept on time even when it is shorter than the watch's tick,
// and the watch stops holding the io_context once no connection has a deadline.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 and Asio coroutine frames
#include "sender/connection_watch.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <thread>

#include "sender/destination.hpp"
#include "sender/http_connection.hpp"
#include "tests/sender/loopback_server.hpp"

namespace outbound::sender {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::loopback_server;
using testing::reply;

// Connects to `s` and exchanges one request, each with `timeout`, on `client`, a loop of its own
// (the server runs on another thread), and returns the result and whether `client` ran out of work
// within `bound`.
struct exchange_outcome {
  attempt_result result;
  bool client_ran_dry = false;
  std::chrono::steady_clock::duration took{};
};
exchange_outcome exchange_once(const loopback_server& s, duration timeout, duration tick,
                               duration bound) {
  asio::io_context client;
  connection_watch watch(client.get_executor(), tick);
  http_connection c(client.get_executor(), nullptr, &watch);
  exchange_outcome o;
  asio::co_spawn(
      client,
      [&]() -> asio::awaitable<void> {
        o.result = co_await c.connect(parse_destination("http://127.0.0.1:" + s.port() + "/"),
                                      timeout, timeout);
        if (o.result.error == transport_error::none)
          o.result = co_await c.exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                                         {}, timeout, 1 << 20);
      },
      asio::detached);
  const auto start = std::chrono::steady_clock::now();
  client.run_for(bound);
  o.took = std::chrono::steady_clock::now() - start;
  o.client_ran_dry = client.stopped();  // run_for returned for want of work, not of time
  return o;
}

class connection_watch_test : public ::testing::Test {
 protected:
  void SetUp() override {
    server_thread_ = std::thread([this] { server_io_.run(); });
  }
  void TearDown() override { stop_server(); }
  // Before the server is destroyed: it is not to be touched from two threads.
  void stop_server() {
    if (!server_thread_.joinable()) return;
    server_io_.stop();
    server_thread_.join();
  }
  asio::io_context server_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{server_io_.get_executor()};
  std::thread server_thread_;
};

TEST_F(connection_watch_test, a_deadline_shorter_than_the_tick_is_kept_on_time) {
  loopback_server s(server_io_, [](std::size_t) { return reply{reply::kind::stall, {}}; });
  const auto o = exchange_once(s, 100ms, 1h, 30s);
  stop_server();
  EXPECT_EQ(o.result.error, transport_error::timeout) << o.result.detail;
  EXPECT_EQ(o.result.phase, transport_phase::read);
  EXPECT_GE(o.took, 100ms);  // not before the deadline either
  EXPECT_LT(o.took, 30s);    // not at the hour's tick, nor at the bound
}

TEST_F(connection_watch_test, stops_holding_the_loop_once_no_deadline_is_set) {
  loopback_server s(server_io_, [](std::size_t) { return reply::ok(testing::ack_true_body); });
  // A one-hour request timeout: a watch that waited for it would hold the loop to the bound.
  const auto o = exchange_once(s, 1h, 20ms, 30s);
  stop_server();
  EXPECT_EQ(o.result.error, transport_error::none) << o.result.detail;
  EXPECT_TRUE(o.client_ran_dry);
  EXPECT_LT(o.took, 30s);
}

}  // namespace
}  // namespace outbound::sender
