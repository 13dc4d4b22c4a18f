#include "mock_endpoint/event_ring.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace outbound::mock_endpoint {
namespace {

// One server-sent event; `data` is one line of JSON (compact JSON has no raw newline).
void append_event(std::string& out, std::uint64_t id, std::string_view name,
                  std::string_view data) {
  out += fmt::format("id: {}\nevent: {}\ndata: ", id, name);
  out += data;
  out += "\n\n";
}

}  // namespace

event_ring::event_ring(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}

event_ring::slot& event_ring::next_slot() {
  slot& s = slots_[next_id_ % slots_.size()];
  s.id = next_id_++;
  return s;
}

std::uint64_t event_ring::add_request(const request_log_entry& e) {
  std::scoped_lock lock(mutex_);
  slot& s = next_slot();
  s.is_request = true;
  s.request = e;  // assignment: the slot's strings keep their buffers
  return s.id;
}

std::uint64_t event_ring::add_window(time_point at, bool opened, const std::string& window) {
  std::scoped_lock lock(mutex_);
  slot& s = next_slot();
  s.is_request = false;
  s.at = at;
  s.opened = opened;
  s.window = window;
  return s.id;
}

std::uint64_t event_ring::last_id() const {
  std::scoped_lock lock(mutex_);
  return next_id_ - 1;
}

event_batch event_ring::after(std::uint64_t after, std::size_t max) const {
  std::scoped_lock lock(mutex_);
  event_batch b;
  b.last = after;
  const std::uint64_t newest = next_id_ - 1;
  if (after >= newest || max == 0) return b;
  const std::uint64_t oldest_held = next_id_ > slots_.size() ? next_id_ - slots_.size() : 1;
  std::uint64_t from = after + 1;
  if (from < oldest_held) {
    b.lost = oldest_held - from;
    const nlohmann::json gap{
        {"event", "events_lost"}, {"first", from}, {"last", oldest_held - 1}, {"count", b.lost}};
    append_event(b.text, oldest_held - 1, "events_lost", gap.dump());
    from = oldest_held;
  }
  for (std::uint64_t id = from; id <= newest && id - from < max; ++id) {
    const slot& s = slots_[id % slots_.size()];
    if (s.is_request) {
      append_event(b.text, id, "request", format_request_line(s.request, log_format::json));
    } else {
      append_event(b.text, id, s.opened ? "fault_window_opened" : "fault_window_closed",
                   format_window_line(s.at, s.opened, s.window, log_format::json));
    }
    b.last = id;
  }
  return b;
}

std::string stopped_event(time_point at) {
  const nlohmann::json j{{"event", "mock_stopped"}, {"time", format_timestamp(at)}};
  return "event: mock_stopped\ndata: " + j.dump() + "\n\n";
}

}  // namespace outbound::mock_endpoint
