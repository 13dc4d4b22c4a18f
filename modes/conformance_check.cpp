#include "modes/conformance_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/render.hpp"
#include "sender/verdict.hpp"

namespace outbound::modes {

conformance_check::conformance_check(const outbound::clock& clock, sender::transport& transport,
                                     sender::destination endpoint, std::vector<check_case> battery,
                                     duration timeout)
    : clock_(clock),
      transport_(transport),
      endpoint_(std::move(endpoint)),
      battery_(std::move(battery)),
      timeout_(timeout) {}

void conformance_check::start(std::function<void()> done) {
  done_ = std::move(done);
  started_ = clock_.now();
  finished_ = started_;
  metrics_ = reports::run_metrics();
  send_next();
}

bool conformance_check::passed() const {
  return std::all_of(outcomes_.begin(), outcomes_.end(), [](const auto& o) { return o.passed; });
}

void conformance_check::send_next() {
  if (finished()) {
    finished_ = clock_.now();
    done_();
    return;
  }
  const check_case& c = battery_[outcomes_.size()];
  const auto count = static_cast<std::uint32_t>(c.message.notifications.size());
  const time_point sent_at = clock_.now();
  metrics_.accepted(sent_at, count);
  metrics_.attempt_sent(sent_at, count);
  transport_.send(endpoint_, soap::write_envelope(c.message), timeout_,
                  [this, &c, count, sent_at](sender::attempt_result r) {
                    const time_point now = clock_.now();
                    check_outcome o = judge_answer(c, r, timeout_);
                    metrics_.attempt_finished(
                        now, count, o.passed ? "" : sender::judge(r).failure_class, now - sent_at);
                    for (std::uint32_t k = 0; k < count; ++k) {
                      if (o.passed)
                        metrics_.delivered(now, sent_at, 1);
                      else
                        metrics_.failed(now, sent_at, 1);
                    }
                    outcomes_.push_back(std::move(o));
                    send_next();
                  });
}

reports::run_report conformance_check::report(nlohmann::json parameters) const {
  reports::run_report r;
  r.kind = "check";
  r.name = endpoint_.url;  // the listener checked
  r.clock = "real";
  r.parameters = std::move(parameters);
  r.started = r.simulated_start = started_;
  r.finished = r.simulated_end = finished_;
  r.metrics = metrics_;
  const std::string expected =
      fmt::format("HTTP 200, text/xml, Ack true, within {}", format_duration(timeout_));
  for (const auto& o : outcomes_) {
    r.checks.push_back(
        {o.name, o.passed, o.came_back, expected, o.failure, o.description, o.body_excerpt});
    if (o.passed)
      r.status.counts.delivered += o.notifications;
    else
      r.status.counts.failed += o.notifications;
  }
  return r;
}

}  // namespace outbound::modes
