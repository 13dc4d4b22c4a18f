#pragma once
// Runs the conformance battery against a listener, one message at a time (a redelivery must follow
// the message it repeats), and turns the outcomes into a report of kind "check" with one check
// (one JUnit test case) per message; reports::text_summary prints it.
//   conformance_check c(clock, transport, ep, make_battery(def, rng), std::chrono::seconds(60));
//   c.start([&] { auto report = c.report(params); });  // then run the io_context / event loop

#include <functional>
#include <vector>

#include "common/clock.hpp"
#include "modes/check_battery.hpp"
#include "reports/metrics.hpp"
#include "reports/report.hpp"
#include "sender/transport.hpp"

namespace outbound::modes {

class conformance_check {
 public:
  conformance_check(const outbound::clock& clock, sender::transport& transport,
                    sender::destination endpoint, std::vector<check_case> battery,
                    duration timeout);
  conformance_check(const conformance_check&) = delete;
  conformance_check& operator=(const conformance_check&) = delete;

  // Sends the first case; `done` runs once, after the last answer has been judged.
  void start(std::function<void()> done);

  bool finished() const { return outcomes_.size() == battery_.size(); }
  bool passed() const;  // every case judged so far passed
  const std::vector<check_outcome>& outcomes() const { return outcomes_; }

  // The report of kind "check": one check_result per case, run metrics of the messages sent, and
  // `parameters` (endpoint, definition, timeout, ...) as given.
  reports::run_report report(nlohmann::json parameters) const;

 private:
  void send_next();

  const outbound::clock& clock_;
  sender::transport& transport_;
  sender::destination endpoint_;
  std::vector<check_case> battery_;
  duration timeout_;
  std::function<void()> done_;
  std::vector<check_outcome> outcomes_;
  reports::run_metrics metrics_;
  time_point started_{}, finished_{};
};

}  // namespace outbound::modes
