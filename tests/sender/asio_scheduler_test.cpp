// The Asio scheduler: order by time then by scheduling order, nothing inline, past times at once,
// deadlines read from the injected clock, and cancellation.
#include "sender/asio_scheduler.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <string>

namespace outbound::sender {
namespace {

using namespace std::chrono_literals;

TEST(asio_scheduler, runs_in_time_order_then_in_scheduling_order) {
  boost::asio::io_context io;
  system_clock clock;
  asio_scheduler s(io, clock);
  std::string order;
  const time_point now = clock.now();
  s.at(now + 30ms, [&] { order += "c"; });
  s.at(now + 10ms, [&] { order += "a"; });
  s.at(now + 10ms, [&] { order += "b"; });
  s.at(now - 1h, [&] { order += "0"; });
  EXPECT_EQ(order, "");  // never inside at()
  EXPECT_EQ(s.pending(), 4u);
  io.run();
  EXPECT_EQ(order, "0abc");
  EXPECT_EQ(s.pending(), 0u);
  EXPECT_GE(clock.now(), now + 30ms);
}

TEST(asio_scheduler, work_may_schedule_more_work) {
  boost::asio::io_context io;
  system_clock clock;
  asio_scheduler s(io, clock);
  int runs = 0;
  std::function<void()> again = [&] {
    if (++runs < 5) s.at(clock.now(), again);
  };
  s.at(clock.now(), again);
  io.run();
  EXPECT_EQ(runs, 5);
}

TEST(asio_scheduler, an_earlier_item_rearms_the_timer) {
  boost::asio::io_context io;
  system_clock clock;
  asio_scheduler s(io, clock);
  std::string order;
  s.at(clock.now() + 1h, [&] { order += "late"; });
  s.at(clock.now() + 1ms, [&] {
    order += "early";
    s.cancel_all();
  });
  io.run();  // would wait an hour if the timer kept its first deadline
  EXPECT_EQ(order, "early");
}

// A clock an hour ahead of the system's: deadlines are converted relative to the injected clock.
class shifted_clock final : public outbound::clock {
 public:
  time_point now() const override { return real_.now() + std::chrono::hours(1); }

 private:
  system_clock real_;
};

TEST(asio_scheduler, deadlines_are_relative_to_the_injected_clock) {
  boost::asio::io_context io;
  shifted_clock clock;
  asio_scheduler s(io, clock);
  bool ran = false;
  s.at(clock.now() + 5ms, [&] { ran = true; });
  io.run();  // a wait computed against the system clock would be an hour and 5 ms
  EXPECT_TRUE(ran);
  EXPECT_EQ(&s.clock(), &clock);
}

TEST(asio_scheduler, destruction_drops_pending_work) {
  boost::asio::io_context io;
  system_clock clock;
  bool ran = false;
  {
    asio_scheduler s(io, clock);
    s.at(clock.now(), [&] { ran = true; });
  }
  io.run();
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace outbound::sender
