// One timer for the whole queue: the engine schedules many wake-ups, and a heap plus one timer
// keeps that cheap and fires equal times in the order they were scheduled, as event_loop does.
// Work due at once (most of it: "flush after this turn", "pump again") is posted instead, since
// re-arming the timer costs a system call each time.
#include "sender/asio_scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <queue>
#include <vector>

namespace outbound::sender {
namespace asio = boost::asio;

struct asio_scheduler::impl : std::enable_shared_from_this<asio_scheduler::impl> {
  struct item {
    time_point when;
    std::uint64_t sequence;
    std::function<void()> work;
  };
  struct later {
    bool operator()(const item& a, const item& b) const {
      return a.when != b.when ? a.when > b.when : a.sequence > b.sequence;
    }
  };

  impl(asio::io_context& io, const outbound::clock& c) : io_(io), clock_(c), timer_(io) {}

  void at(time_point when, std::function<void()> work) {
    queue_.push(item{when, next_sequence_++, std::move(work)});
    wake_for(when, clock_.now());
  }

  // Makes sure something runs fire() by `when`: a post when it is due, else the timer.
  void wake_for(time_point when, time_point now) {
    if (when <= now) {
      if (posted_) return;
      posted_ = true;
      asio::post(io_, [weak = weak_from_this(), generation = generation_] {
        auto self = weak.lock();
        if (!self || generation != self->generation_) return;
        self->posted_ = false;
        self->fire();
      });
    } else if (!armed_ || when < armed_for_) {
      arm(when, now);
    }
  }

  void arm(time_point when, time_point now) {
    armed_for_ = when;
    timer_.expires_after(when - now);
    armed_ = true;
    std::weak_ptr<impl> weak = shared_from_this();
    timer_.async_wait([weak, generation = generation_](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (!self || ec || generation != self->generation_) return;
      self->armed_ = false;
      self->fire();
    });
  }

  // Runs everything due by the clock, one at a time, then waits for the rest.
  void fire() {
    const time_point now = clock_.now();
    auto self = shared_from_this();  // work may destroy the scheduler
    while (!queue_.empty() && queue_.top().when <= now && !dead_) {
      auto work = std::move(const_cast<item&>(queue_.top()).work);
      queue_.pop();
      work();
    }
    // Due items scheduled by that work wait for the next turn, so I/O is not starved.
    if (!queue_.empty() && !dead_) wake_for(queue_.top().when, now);
  }

  asio::io_context& io_;
  const outbound::clock& clock_;
  asio::steady_timer timer_;
  std::priority_queue<item, std::vector<item>, later> queue_;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t generation_ = 0;  // waits and posts from before cancel_all() do nothing
  time_point armed_for_{};
  bool armed_ = false;   // the timer waits for armed_for_
  bool posted_ = false;  // a fire() is posted
  bool dead_ = false;
};

asio_scheduler::asio_scheduler(asio::io_context& io, const outbound::clock& clock)
    : impl_(std::make_shared<impl>(io, clock)) {}

asio_scheduler::~asio_scheduler() {
  impl_->dead_ = true;
  cancel_all();
}

const outbound::clock& asio_scheduler::clock() const {
  return impl_->clock_;
}

void asio_scheduler::at(time_point when, std::function<void()> work) {
  impl_->at(when, std::move(work));
}

std::size_t asio_scheduler::pending() const {
  return impl_->queue_.size();
}

void asio_scheduler::cancel_all() {
  impl_->queue_ = {};
  impl_->armed_ = impl_->posted_ = false;
  ++impl_->generation_;
  impl_->timer_.cancel();
}

}  // namespace outbound::sender
