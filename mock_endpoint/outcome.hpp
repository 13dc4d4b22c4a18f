#pragma once
// What the mock endpoint does with a connection or a request, as plain data: the handler decides
// (responder.hpp), the socket connection or a simulated-time scenario only carries it out.
//   outcome o = ep.handle(req, now);
//   simulated_effect e = simulate(o, std::chrono::seconds(60));  // in virtual time, no sockets

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/duration.hpp"
#include "mock_endpoint/fault_kind.hpp"

namespace outbound::mock_endpoint {

// Decided when a connection arrives, before anything is read.
enum class connection_action {
  accept,       // read requests as usual
  refuse,       // nothing listening: the client gets ECONNREFUSED (real mode closes the acceptor)
  close,        // accept, then close at once (FIN) without reading
  stall,        // accept and never read nor answer; the connection is held for `hold`
  reset,        // accept, then reset (RST) without reading
  tls_failure,  // serve a certificate the client must reject: see `tls`
};

enum class tls_failure_kind {
  untrusted,           // chain to a CA nobody trusts
  hostname,            // trusted chain (when the server has a fault CA) for another host name
  expired,             // trusted chain (when the server has a fault CA), validity ended in the past
  client_certificate,  // the usual certificate, but the server demands a client certificate
                       // from a CA of its own, which the client cannot present
};

struct connection_outcome {
  connection_action action = connection_action::accept;
  tls_failure_kind tls = tls_failure_kind::untrusted;  // meaningful for tls_failure
  duration hold{};                                     // meaningful for stall
  std::optional<fault_kind> fault;                     // the injected fault, if any
};

// Decided after a complete request was read.
enum class response_action {
  respond,                 // send `response` (after `delay`, paced by slow_body/bandwidth)
  close_without_response,  // close (FIN) without answering
  reset,                   // reset (RST) without answering
  stall,                   // never answer; hold the connection for `hold`
  truncated,               // send the head with the full Content-Length, then only
                           // `truncated_at` bytes of the body, then close
  garbage,                 // send `garbage` (not HTTP at all), then close
};

struct http_reply {
  int status = 200;
  std::string reason;        // reason phrase; empty means the standard one
  std::string content_type;  // empty means no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Retry-After
  std::string body;
};

// A slow body: `bytes` bytes of the response every `every`, the first chunk at once.
struct pacing {
  std::size_t bytes = 1;
  duration every{};
};

struct outcome {
  response_action action = response_action::respond;
  http_reply response;                     // for respond and truncated
  duration delay{};                        // wait before the first byte of the answer (any action)
  std::optional<pacing> slow_body;         // pace the response
  std::optional<std::uint64_t> bandwidth;  // bytes per second for the whole response
  std::size_t truncated_at = 0;            // body bytes sent for truncated
  std::string garbage;                     // bytes sent for garbage
  duration hold{};                         // how long a stall holds the connection
  bool keep_alive = true;                  // false: close after answering
  std::vector<fault_kind> faults;          // the faults injected into this answer (counted by kind)
  std::size_t notifications = 0;           // in the request; 0 when it was not a valid message
  // For logs and metrics: "acked", "nacked", "rejected", "faulted", "wsdl", "method_not_allowed".
  std::string_view verdict = "acked";
};

std::string_view to_string(connection_action a);
std::string_view to_string(response_action a);
std::string_view to_string(tls_failure_kind k);

// The standard reason phrase of a status code ("Service Unavailable"), "Unknown" otherwise.
std::string_view standard_reason(int status);

// The bytes of the answer's HTTP head and body as the server sends them.
std::string serialize_head(const http_reply& r, std::size_t content_length, bool keep_alive);
// The head of an answer whose body follows in chunks (Transfer-Encoding: chunked), after which
// the server closes the connection; `r.body` is not used.
std::string serialize_chunked_head(const http_reply& r);

// How the answer's bytes go out: write `bytes`, then wait `wait` before the next step. Without
// pacing one step; slow_body sends the head with the first `bytes` of the body, then a chunk every
// `every`; bandwidth cuts everything into tenths of a second's worth. Both: the slower of the two.
// `head` of the `total` bytes are the HTTP head (0 for garbage).
struct write_step {
  std::size_t bytes = 0;
  duration wait{};
};
std::vector<write_step> write_schedule(const outcome& o, std::size_t head, std::size_t total);
// The time the client waits for the last byte: the sum of the waits between the steps.
duration transfer_time(const std::vector<write_step>& steps);

// How a client with a request timeout would see an outcome, without sockets: for scenarios in
// simulated time. The names of `error` match sender::transport_error one for one.
enum class effect_error {
  none,                    // `response` arrived complete after `elapsed`
  refused,                 // ECONNREFUSED at once
  reset,                   // connection reset by peer
  closed,                  // EOF before a complete response (close, truncated body)
  timeout,                 // nothing complete before the client's timeout; elapsed == timeout
  tls_untrusted,           // handshake failed: untrusted chain
  tls_expired,             // handshake failed: expired certificate (chained to a trusted fault CA)
  tls_hostname,            // handshake failed: name mismatch
  tls_client_certificate,  // handshake refused by the server: alert certificate_required
  protocol,                // bytes that are not HTTP (garbage)
};

struct simulated_effect {
  effect_error error = effect_error::none;
  duration elapsed{};   // from the request's start to what the client sees
  http_reply response;  // when error == none
};

simulated_effect simulate(const connection_outcome& c, duration client_timeout);
simulated_effect simulate(const outcome& o, duration client_timeout);

}  // namespace outbound::mock_endpoint
