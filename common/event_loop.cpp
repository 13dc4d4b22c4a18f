#include "common/event_loop.hpp"

namespace outbound {

void event_loop::at(time_point when, std::function<void()> work) {
  // Work scheduled in the past runs "now": simulated time never goes backwards.
  if (when < clock_.now()) when = clock_.now();
  queue_.push(event{when, next_sequence_++, std::move(work)});
}

bool event_loop::step() {
  if (queue_.empty()) return false;
  // Moved out before popping: the work may schedule more events.
  auto work = std::move(const_cast<event&>(queue_.top()).work);
  clock_.set(queue_.top().when);
  queue_.pop();
  ++fired_;
  work();
  return true;
}

void event_loop::run_until(time_point end) {
  while (!queue_.empty() && queue_.top().when <= end) step();
  if (clock_.now() < end) clock_.set(end);
}

void event_loop::run() {
  while (step()) {
  }
}

}  // namespace outbound
