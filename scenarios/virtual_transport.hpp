#pragma once
// A sender::transport for simulated time: it hands the request's exact bytes to a mock endpoint's
// handler at the simulated arrival time and delivers the outcome's effect (refusal, delay,
// timeout, reset, truncated body, response) on the scheduler's clock. Connections are pooled per
// endpoint as a keep-alive client would: a request reuses an idle one, else opens one (and the
// mock decides that connection's fate first). While a windowed connection fault is open (the
// server is down), idle connections are gone: every request opens a new one. A reused connection
// reset or closed before any byte of the answer is stale: the request goes once more on a new one.
// An https endpoint's TLS faults are modeled as a client trusting the scenario's CA sees them
// (untrusted chain, expired, wrong host, client certificate demanded), in the handshake phase.
//   virtual_transport t(loop);
//   t.attach(parse_destination("http://sap.virtual:8080/sap"), mock);
//   engine e(store, loop, t, rng, options);

#include <cstdint>
#include <map>
#include <string>

#include "common/scheduler.hpp"
#include "mock_endpoint/responder.hpp"
#include "sender/transport.hpp"

namespace outbound::scenarios {

class virtual_transport final : public sender::transport {
 public:
  explicit virtual_transport(scheduler& sched) : sched_(sched) {}

  // Requests to endpoints equal by sender::pool_key go to `mock`, which must outlive this.
  void attach(const sender::destination& to, mock_endpoint::responder& mock);

  void send(const sender::destination& to, std::string body, duration timeout,
            std::function<void(sender::attempt_result)> done) override;

  std::uint64_t connections_opened() const { return connections_opened_; }
  std::uint64_t requests() const { return requests_; }

 private:
  struct target {
    mock_endpoint::responder* mock = nullptr;
    std::size_t idle = 0;  // open keep-alive connections not in use
  };
  void finish(target& t, sender::attempt_result r, bool keep_alive,
              std::function<void(sender::attempt_result)> done);
  // A new connection; false when the mock's connection fault answered `done` already.
  bool open_connection(target& t, const sender::destination& to, time_point now, duration timeout,
                       std::function<void(sender::attempt_result)>& done);

  scheduler& sched_;
  std::map<std::string, target> targets_;  // by pool key
  std::uint64_t connections_opened_ = 0;
  std::uint64_t requests_ = 0;
};

// The transport error a simulated effect corresponds to.
// (The member `error` hides its enum's name, hence decltype.)
using effect_error = decltype(mock_endpoint::simulated_effect::error);
sender::transport_error to_transport_error(effect_error e);

// The TLS alert a server that demands a client certificate sends (RFC 8446: certificate_required).
inline constexpr int certificate_required_alert = 116;

// What the sender's transport reports for a simulated effect on a request to `to`, with the
// phase a real client would see it in (`on_connection`: the mock decided it for a new connection).
sender::attempt_result to_attempt_result(const mock_endpoint::simulated_effect& e,
                                         const sender::destination& to, bool on_connection);

}  // namespace outbound::scenarios
