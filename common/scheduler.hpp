#pragma once
// Where due work is scheduled: the seam that lets the same sender and mock code run on Asio timers
// in wall time or on a discrete-event loop in simulated time.
//   sched.at(sched.clock().now() + std::chrono::seconds(15), [&] { retry(); });

#include <functional>

#include "common/clock.hpp"

namespace outbound {

class scheduler {
 public:
  virtual ~scheduler() = default;
  virtual const outbound::clock& clock() const = 0;
  // Runs `work` once at `when` (at once if `when` has passed). Callbacks run one at a time.
  virtual void at(time_point when, std::function<void()> work) = 0;
};

}  // namespace outbound
