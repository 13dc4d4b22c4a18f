#include "sender/connection_watch.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <optional>
#include <vector>

#include "sender/http_connection.hpp"

namespace outbound::sender {

struct connection_watch::state : std::enable_shared_from_this<state> {
  state(boost::asio::any_io_executor ex, duration t) : timer(std::move(ex)), tick(t) {}

  void arm(time_point at) {
    wake_at = at;
    timer.expires_at(at);
    // The handler holds the state: a wake already queued may run after the watch is gone.
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->wake();
    });
  }

  void wake() {
    wake_at.reset();
    if (stopped) return;
    const time_point now = std::chrono::steady_clock::now();
    std::optional<time_point> earliest;
    for (http_connection* c : connections) {
      const auto d = c->deadline();
      if (!d) continue;
      if (*d <= now) {
        c->expire();
      } else if (!earliest || *d < *earliest) {
        earliest = d;
      }
    }
    if (earliest) arm(std::min(*earliest, now + tick));
  }

  boost::asio::steady_timer timer;
  duration tick;
  std::vector<http_connection*> connections;
  std::optional<time_point> wake_at;  // when the timer is armed for
  bool stopped = false;
};

connection_watch::connection_watch(boost::asio::any_io_executor ex, duration tick)
    : state_(std::make_shared<state>(std::move(ex), tick)) {}

connection_watch::~connection_watch() {
  state_->stopped = true;
  state_->connections.clear();
  state_->timer.cancel();
}

void connection_watch::add(http_connection* c) {
  state_->connections.push_back(c);
}

void connection_watch::forget(http_connection* c) {
  std::erase(state_->connections, c);
}

void connection_watch::wake_by(time_point now, time_point deadline) {
  // Armed for no later than a tick from now: when the deadlines are cleared, the watch stops
  // waking (and holding the io_context) within a tick.
  state& s = *state_;
  if (s.stopped) return;
  const time_point at = std::min(deadline, now + s.tick);
  if (!s.wake_at || at < *s.wake_at) s.arm(at);
}

}  // namespace outbound::sender
