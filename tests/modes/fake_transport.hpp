#pragma once
// A transport for tests in simulated time: every request is answered after a fixed delay on the
// event loop, with an Ack true (or what `answer` says), and every body is kept.
//   event_loop loop(start);  fake_transport t(loop, std::chrono::milliseconds(100));

#include <functional>
#include <string>
#include <vector>

#include "common/event_loop.hpp"
#include "sender/transport.hpp"
#include "soap/ack.hpp"

namespace outbound::modes::testing {

class fake_transport final : public sender::transport {
 public:
  fake_transport(event_loop& loop, duration delay) : loop_(loop), delay_(delay) {}

  void send(const sender::destination&, std::string body, duration timeout,
            std::function<void(sender::attempt_result)> done) override {
    const std::size_t n = bodies.size();
    bodies.push_back(std::move(body));
    sender::attempt_result r;
    if (delay_ >= timeout) {
      r.error = sender::transport_error::timeout;
      r.elapsed = timeout;
    } else {
      r = answer ? answer(n) : ok();
      r.elapsed = delay_;
    }
    loop_.at(loop_.clock().now() + r.elapsed,
             [done = std::move(done), r = std::move(r)] { done(r); });
  }

  static sender::attempt_result ok() {
    sender::attempt_result r;
    r.response = {200, "OK", "text/xml; charset=utf-8", "", soap::write_ack(true)};
    return r;
  }
  static sender::attempt_result nack() {
    sender::attempt_result r;
    r.response = {200, "OK", "text/xml; charset=utf-8", "", soap::write_ack(false)};
    return r;
  }

  std::vector<std::string> bodies;
  std::function<sender::attempt_result(std::size_t)> answer;  // by request index; default ok()

 private:
  event_loop& loop_;
  duration delay_;
};

}  // namespace outbound::modes::testing
