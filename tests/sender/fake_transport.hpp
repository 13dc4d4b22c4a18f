#pragma once
// A transport for engine tests: records every request, and answers either automatically (after
// a simulated delay on the event loop) or when the test says so.
//   fake_transport t(loop);  t.respond = [](const fake_transport::request&) { return ack(); };

#include <functional>
#include <string>
#include <vector>

#include "common/event_loop.hpp"
#include "sender/transport.hpp"
#include "soap/ack.hpp"
#include "soap/envelope.hpp"

namespace outbound::sender::testing {

inline attempt_result http_result(int status, std::string body) {
  attempt_result r;
  r.response.status = status;
  r.response.content_type = "text/xml; charset=utf-8";
  r.response.body = std::move(body);
  return r;
}
inline attempt_result ack() {
  return http_result(200, soap::write_ack(true));
}
inline attempt_result nack() {
  return http_result(200, soap::write_ack(false));
}
inline attempt_result refused() {
  attempt_result r;
  r.error = transport_error::refused;
  r.detail = "Connection refused";
  return r;
}

class fake_transport final : public transport {
 public:
  struct request {
    destination to;
    std::string body;
    duration timeout{};
    time_point sent_at{};
    std::function<void(attempt_result)> done;
    bool answered = false;
    // The parsed envelope, for assertions on what was sent.
    soap::message message() const { return soap::parse_envelope(body).value(); }
  };

  explicit fake_transport(event_loop& loop) : loop_(loop) {}

  // When set, every request is answered with its result `delay` later.
  std::function<attempt_result(const request&)> respond;
  duration delay = std::chrono::milliseconds(10);

  void send(const destination& to, std::string body, duration timeout,
            std::function<void(attempt_result)> done) override {
    requests.push_back({to, std::move(body), timeout, loop_.clock().now(), std::move(done)});
    if (respond) answer(requests.size() - 1, respond(requests.back()), delay);
  }

  // Answers request `i` (once) `after` from now, through the loop, as a real transport would.
  void answer(std::size_t i, attempt_result r, duration after = duration::zero()) {
    auto& q = requests.at(i);
    if (q.answered) throw std::logic_error("request answered twice");
    q.answered = true;
    r.elapsed = loop_.clock().now() + after - q.sent_at;
    loop_.at(loop_.clock().now() + after, [done = q.done, r] { done(r); });
  }
  std::size_t unanswered() const {
    std::size_t n = 0;
    for (const auto& q : requests) n += !q.answered;
    return n;
  }

  std::vector<request> requests;

 private:
  event_loop& loop_;
};

}  // namespace outbound::sender::testing
