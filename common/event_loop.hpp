#pragma once
// A discrete-event loop over simulated time: run() fires due work in time order, ties broken by the
// order it was scheduled, and moves its manual clock to each event's time. A 24-hour outage replays
// as fast as the work itself runs.
//   event_loop loop(start);
//   loop.at(start + 1h, [&] { ... });
//   loop.run_until(start + 24h);

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "common/scheduler.hpp"

namespace outbound {

class event_loop final : public scheduler {
 public:
  explicit event_loop(time_point start) : clock_(start) {}

  const outbound::clock& clock() const override { return clock_; }
  void at(time_point when, std::function<void()> work) override;

  // Fires events until none is left or the next is after `end`; the clock ends at `end` if given.
  void run_until(time_point end);
  void run();
  // Fires the next event, if any; false when the queue is empty.
  bool step();

  std::size_t pending() const { return queue_.size(); }
  std::uint64_t fired() const { return fired_; }  // events fired so far

 private:
  struct event {
    time_point when;
    std::uint64_t sequence;
    std::function<void()> work;
  };
  struct later {
    bool operator()(const event& a, const event& b) const {
      return a.when != b.when ? a.when > b.when : a.sequence > b.sequence;
    }
  };
  manual_clock clock_;
  std::priority_queue<event, std::vector<event>, later> queue_;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t fired_ = 0;
};

}  // namespace outbound
