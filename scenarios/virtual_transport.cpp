#include "scenarios/virtual_transport.hpp"

#include <boost/beast/core/string.hpp>

#include "sender/destination.hpp"

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
    case effect_error::tls_expired:
      return te::tls_expired;
    case effect_error::tls_hostname:
      return te::tls_hostname;
    case effect_error::tls_client_certificate:
      return te::tls_alert;
    case effect_error::protocol:
      return te::protocol;
  }
  return te::protocol;
}

sender::attempt_result to_attempt_result(const effect& e, const sender::destination& to,
                                         bool on_connection) {
  using phase = sender::transport_phase;
  sender::attempt_result r;
  r.error = to_transport_error(e.error);
  r.elapsed = e.elapsed;
  r.host = to.host;
  if (e.error == effect_error::tls_client_certificate) r.tls_alert = certificate_required_alert;
  // Where a real client would have noticed: a refusal while connecting; over TLS, whatever the
  // server does to a new connection happens during the handshake; otherwise while reading.
  if (e.error == effect_error::refused)
    r.phase = phase::connect;
  else if (on_connection && to.tls)
    r.phase = phase::handshake;
  else
    r.phase = phase::read;
  if (e.error == effect_error::none) {
    r.response.status = e.response.status;
    r.response.reason = e.response.reason.empty()
                            ? std::string(mock_endpoint::standard_reason(e.response.status))
                            : e.response.reason;
    r.response.content_type = e.response.content_type;
    for (const auto& [name, value] : e.response.headers)
      if (boost::beast::iequals(name, "Retry-After")) r.response.retry_after = value;
    r.response.body = e.response.body;
  }
  return r;
}

void virtual_transport::attach(const sender::destination& to, mock_endpoint::responder& mock) {
  targets_[sender::pool_key(to)].mock = &mock;
}

void virtual_transport::finish(target& t, sender::attempt_result r, bool keep_alive,
                               std::function<void(sender::attempt_result)> done) {
  // The connection returns to the pool when the client has read a complete response from it.
  target* tp = &t;
  const bool reusable = keep_alive && r.error == sender::transport_error::none;
  const duration elapsed = r.elapsed;
  sched_.at(sched_.clock().now() + elapsed,
            [tp, reusable, r = std::move(r), done = std::move(done)]() mutable {
              if (reusable) ++tp->idle;
              done(std::move(r));
            });
}

void virtual_transport::send(const sender::destination& to, std::string body, duration timeout,
                             std::function<void(sender::attempt_result)> done) {
  ++requests_;
  const time_point now = sched_.clock().now();
  auto it = targets_.find(sender::pool_key(to));
  if (it == targets_.end() || !it->second.mock) {
    // Nothing simulated there: as an address where nothing listens.
    effect e;
    e.error = effect_error::refused;
    static target none;
    finish(none, to_attempt_result(e, to, true), false, std::move(done));
    return;
  }
  target& t = it->second;
  if (t.idle > 0 && t.mock->connection_window_open(now)) t.idle = 0;
  const bool reused = t.idle > 0;
  if (reused) {
    --t.idle;
  } else if (!open_connection(t, to, now, timeout, done)) {
    return;
  }
  mock_endpoint::request_view req;
  req.method = "POST";
  req.target = to.target;
  req.body = body;
  auto o = t.mock->handle(req, now);
  // A kept-alive connection dropped before any byte of the answer looks stale to the sender's
  // HTTP client, which sends the request once more on a new connection (as on the real clock).
  const bool nothing_answered = o.action == mock_endpoint::response_action::reset ||
                                o.action == mock_endpoint::response_action::close_without_response;
  if (reused && nothing_answered) {
    if (!open_connection(t, to, now, timeout, done)) return;
    o = t.mock->handle(req, now);
  }
  finish(t, to_attempt_result(mock_endpoint::simulate(o, timeout), to, false), o.keep_alive,
         std::move(done));
}

bool virtual_transport::open_connection(target& t, const sender::destination& to, time_point now,
                                        duration timeout,
                                        std::function<void(sender::attempt_result)>& done) {
  ++connections_opened_;
  const auto c = t.mock->on_connection(now);
  if (c.action == mock_endpoint::connection_action::accept) return true;
  finish(t, to_attempt_result(mock_endpoint::simulate(c, timeout), to, true), false,
         std::move(done));
  return false;
}

}  // namespace outbound::scenarios
