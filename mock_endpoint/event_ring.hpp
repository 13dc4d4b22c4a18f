#pragma once
// The events GET /__admin/events streams as server-sent events: one per request answered (or
// connection a fault ended), with the fields of `--log json`, and one per fault window opening or
// closing. Numbered from 1 and kept in a bounded ring, so that a watcher resumes where it left off
// (?after=N, Last-Event-ID) as long as the ring still holds what followed; what it no longer holds
// is reported as lost, never skipped in silence.
//   event_ring ring(10000);  ring.add_request(entry);  ring.add_window(now, true, "outage:
//   refuse"); event_batch b = ring.after(last_id, 100);  write(b.text);  last_id = b.last;

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "mock_endpoint/request_log.hpp"

namespace outbound::mock_endpoint {

// What a watcher gets next, as server-sent-events text ("id: 7\nevent: request\ndata: {...}\n\n").
struct event_batch {
  std::string text;
  std::uint64_t last = 0;  // the id of the last event in `text` (the `after` asked, if none)
  std::uint64_t lost = 0;  // events after `after` that the ring no longer held
};

class event_ring {
 public:
  explicit event_ring(std::size_t capacity);

  // Each returns the new event's id. Thread-safe.
  std::uint64_t add_request(const request_log_entry& e);
  std::uint64_t add_window(time_point at, bool opened, const std::string& window);

  // The id of the newest event; 0 before the first.
  std::uint64_t last_id() const;
  // Up to `max` events with ids above `after`, oldest first. When the oldest of them is no longer
  // held, an `events_lost` event comes first ({"event": "events_lost", "first": F, "last": L,
  // "count": N}, with `id: L` so that a watcher resumes after the gap).
  event_batch after(std::uint64_t after, std::size_t max) const;

 private:
  struct slot {
    std::uint64_t id = 0;
    bool is_request = true;
    request_log_entry request;  // when is_request
    time_point at;              // of a window event
    bool opened = false;
    std::string window;
  };
  slot& next_slot();

  mutable std::mutex mutex_;
  std::vector<slot> slots_;  // slots_[id % size]; a slot is reused, its strings' buffers with it
  std::uint64_t next_id_ = 1;
};

// The server-sent event a stream ends with when the mock stops: no id, so a watcher that resumes
// elsewhere keeps its place.
std::string stopped_event(time_point at);

}  // namespace outbound::mock_endpoint
