#include "scenarios/virtual_transport.hpp"

#include "sender/endpoint_url.hpp"

namespace outbound::scenarios {

using effect = mock_endpoint::simulated_effect;

sender::transport_error to_transport_error(effect_error e) {
  using te = sender::transport_error;
  switch (e) {
    case effect_error::none:
      return te::none;
    case effect_error::refused:
      return te::refused;
    case effect_error::reset:
      return te::reset;
    case effect_error::closed:
      return te::closed;
    case effect_error::timeout:
      return te::timeout;
    case effect_error::tls_untrusted:
      return te::tls_untrusted;
    case effect_error::tls_hostname:
      return te::tls_hostname;
    case effect_error::protocol:
      return te::protocol;
  }
  return te::protocol;
}

namespace {

// The texts a Java client (Salesforce's) would show for each error, for the failure reason.
std::string detail_of(effect_error e) {
  switch (e) {
    case effect_error::none:
      return "";
    case effect_error::refused:
      return "Connection refused";
    case effect_error::reset:
      return "Connection reset";
    case effect_error::closed:
      return "Unexpected end of file from server";
    case effect_error::timeout:
      return "Read timed out";
    case effect_error::tls_untrusted:
      return "PKIX path building failed";
    case effect_error::tls_hostname:
      return "No subject alternative names matching the host";
    case effect_error::protocol:
      return "Invalid Http response";
  }
  return "";
}

// Whether a windowed connection fault (refuse, reset, stall, ... for a stretch of time) is open:
// the server or the network in front of it is down then, and kept-alive connections die with it.
bool connection_fault_window_open(const mock_endpoint::endpoint& mock, time_point now) {
  const duration t = now - mock.plan_start();
  for (const auto& f : mock.plan().faults)
    if (mock_endpoint::is_connection_fault(f.kind) && f.for_ && t >= f.after &&
        t < f.after + *f.for_)
      return true;
  return false;
}

}  // namespace

void virtual_transport::attach(const sender::endpoint& to, mock_endpoint::endpoint& mock) {
  targets_[sender::pool_key(to)].mock = &mock;
}

void virtual_transport::finish(target& t, const effect& e, bool keep_alive,
                               std::function<void(sender::attempt_result)> done) {
  sender::attempt_result r;
  r.error = to_transport_error(e.error);
  r.detail = detail_of(e.error);
  r.elapsed = e.elapsed;
  if (e.error == effect_error::none) {
    r.response.status = e.response.status;
    r.response.reason = e.response.reason.empty()
                            ? std::string(mock_endpoint::standard_reason(e.response.status))
                            : e.response.reason;
    r.response.content_type = e.response.content_type;
    r.response.body = e.response.body;
  }
  // The connection returns to the pool when the client has read a complete response from it.
  target* tp = &t;
  const bool reusable = keep_alive && e.error == effect_error::none;
  sched_.at(sched_.clock().now() + e.elapsed,
            [tp, reusable, r = std::move(r), done = std::move(done)]() mutable {
              if (reusable) ++tp->idle;
              done(std::move(r));
            });
}

void virtual_transport::send(const sender::endpoint& to, std::string body, duration timeout,
                             std::function<void(sender::attempt_result)> done) {
  ++requests_;
  const time_point now = sched_.clock().now();
  auto it = targets_.find(sender::pool_key(to));
  if (it == targets_.end() || !it->second.mock) {
    // Nothing simulated there: as an address where nothing listens.
    effect e;
    e.error = effect_error::refused;
    static target none;
    finish(none, e, false, std::move(done));
    return;
  }
  target& t = it->second;
  if (t.idle > 0 && connection_fault_window_open(*t.mock, now)) t.idle = 0;
  if (t.idle > 0) {
    --t.idle;
  } else {
    ++connections_opened_;
    const auto c = t.mock->on_connection(now);
    if (c.action != mock_endpoint::connection_action::accept) {
      finish(t, mock_endpoint::simulate(c, timeout), false, std::move(done));
      return;
    }
  }
  mock_endpoint::request_view req;
  req.method = "POST";
  req.target = to.target;
  req.body = body;
  const auto o = t.mock->handle(req, now);
  finish(t, mock_endpoint::simulate(o, timeout), o.keep_alive, std::move(done));
}

}  // namespace outbound::scenarios
