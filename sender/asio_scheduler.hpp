#pragma once
// outbound::scheduler on an Asio io_context in wall time: due work waits in a queue ordered by
// (time, order scheduled) behind one steady_timer; times come from an injected clock (usually
// system_clock) and are turned into timer durations, re-checked when the timer fires.
//   boost::asio::io_context io;  system_clock clock;  asio_scheduler sched(io, clock);
//   sched.at(clock.now() + std::chrono::seconds(15), [&] { retry(); });  io.run();

#include <cstdint>
#include <functional>
#include <memory>

#include "common/scheduler.hpp"

namespace boost::asio {
class io_context;
}

namespace outbound::sender {

class asio_scheduler final : public scheduler {
 public:
  asio_scheduler(boost::asio::io_context& io, const outbound::clock& clock);
  ~asio_scheduler() override;  // work not yet run is dropped
  asio_scheduler(const asio_scheduler&) = delete;
  asio_scheduler& operator=(const asio_scheduler&) = delete;

  const outbound::clock& clock() const override;
  // Runs `work` on the io_context at `when`, never inside at() itself.
  void at(time_point when, std::function<void()> work) override;

  std::size_t pending() const;  // work scheduled and not yet run
  void cancel_all();            // drops every pending work item

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace outbound::sender
