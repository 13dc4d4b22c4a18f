#pragma once
// The seam between the delivery engine and the network: the engine hands over a finished SOAP
// request for an endpoint and later gets back the response or a classified transport error.
// The real transport is Boost.Beast over Asio (TCP and TLS, keep-alive pools, deadlines); the
// virtual one (scenarios/) passes the same bytes to the mock endpoint's handler in simulated time.
//   t.send(ep, body, timeout, [](attempt_result r) { ... });

#include <functional>
#include <string>
#include <string_view>

#include "common/duration.hpp"

namespace outbound::sender {

// Where a message goes: a parsed endpoint URL. Two definitions with equal destinations share
// connections.
struct destination {
  std::string url;     // as written in the definition
  bool tls = false;    // https
  std::string host;    // without brackets for IPv6
  std::string port;    // always set: "80", "443" or the explicit one
  std::string target;  // path and query, at least "/"
  friend bool operator==(const destination&, const destination&) = default;
};

// What went wrong below HTTP, in the classes Salesforce's delivery status distinguishes: the
// cause of a failure, carried as a value so that both transports (real and virtual) report it
// alike and verdict.cpp alone words it.
enum class transport_error {
  none,           // a complete HTTP response arrived
  refused,        // ECONNREFUSED: nothing listening
  unknown_host,   // the host name does not resolve
  unreachable,    // no route to the host
  reset,          // connection reset by peer
  closed,         // the peer closed before a complete response (EOF, short read)
  timeout,        // connect or request deadline passed
  tls_untrusted,  // certificate chain not trusted
  tls_expired,    // certificate chain trusted but expired (or not yet valid)
  tls_hostname,   // certificate does not match the host name
  tls_alert,      // the peer refused the handshake with a TLS alert (`tls_alert` says which)
  tls_other,      // any other TLS failure
  protocol,       // not HTTP
};
std::string_view to_string(transport_error e);

// Where in an attempt a transport failure happened.
enum class transport_phase {
  resolve,    // looking up the host name
  connect,    // TCP connect
  handshake,  // TLS handshake (a TLS 1.3 server's verdict on the client arrives with its first
              // record, so an alert read before any response byte counts here too)
  write,      // sending the request
  read,       // waiting for and reading the response
};
std::string_view to_string(transport_phase p);

struct http_response {
  int status = 0;
  std::string reason;        // reason phrase as sent
  std::string content_type;  // Content-Type header value, may be empty
  std::string body;
  std::string retry_after;  // Retry-After header value, may be empty (sender/retry_after.hpp)
};

struct attempt_result {
  transport_error error = transport_error::none;
  transport_phase phase = transport_phase::read;  // where it failed, when error != none
  std::string host;        // the host name tried: for unknown_host and tls_hostname wording
  int tls_alert = -1;      // the TLS alert number received (RFC 8446 6.2), for tls_alert
  std::string detail;      // the system's own text, for logs only: never parsed
  http_response response;  // meaningful when error == none
  duration elapsed{};      // from send() to completion, measured on a monotonic clock
};

class transport {
 public:
  virtual ~transport() = default;
  // Sends one POST with Salesforce's headers (Content-Type: text/xml; charset=utf-8,
  // SOAPAction: ""). `done` is called exactly once, never from inside send().
  virtual void send(const destination& to, std::string body, duration timeout,
                    std::function<void(attempt_result)> done) = 0;
};

}  // namespace outbound::sender
