#pragma once
// The seam between the delivery engine and the network: the engine hands over a finished SOAP
// request for an endpoint and later gets back the response or a classified transport error.
// The real transport is Boost.Beast over Asio (TCP and TLS, keep-alive pools, deadlines); the
// virtual one (scenarios/) passes the same bytes to the mock endpoint's handler in simulated time.
//   t.send(ep, body, timeout, [](attempt_result r) { ... });

#include <functional>
#include <string>

#include "common/duration.hpp"

namespace outbound::sender {

// A parsed endpoint URL. Two definitions with equal endpoints share connections.
struct endpoint {
  std::string url;     // as written in the definition
  bool tls = false;    // https
  std::string host;    // without brackets for IPv6
  std::string port;    // always set: "80", "443" or the explicit one
  std::string target;  // path and query, at least "/"
  friend bool operator==(const endpoint&, const endpoint&) = default;
};

// What went wrong below HTTP, in the classes Salesforce's delivery status distinguishes.
enum class transport_error {
  none,           // a complete HTTP response arrived
  refused,        // ECONNREFUSED: nothing listening
  unreachable,    // no route, DNS failure
  reset,          // connection reset by peer
  closed,         // the peer closed before a complete response (EOF, short read)
  timeout,        // connect or request deadline passed
  tls_untrusted,  // certificate chain not trusted (or expired)
  tls_hostname,   // certificate does not match the host name
  tls_other,      // any other handshake failure
  protocol,       // not HTTP
};

struct http_response {
  int status = 0;
  std::string reason;        // reason phrase as sent
  std::string content_type;  // Content-Type header value, may be empty
  std::string body;
};

struct attempt_result {
  transport_error error = transport_error::none;
  std::string detail;      // the system's text for the error, for the failure reason
  http_response response;  // meaningful when error == none
  duration elapsed{};      // from send() to completion
};

class transport {
 public:
  virtual ~transport() = default;
  // Sends one POST with Salesforce's headers (Content-Type: text/xml; charset=utf-8,
  // SOAPAction: ""). `done` is called exactly once, never from inside send().
  virtual void send(const endpoint& to, std::string body, duration timeout,
                    std::function<void(attempt_result)> done) = 0;
};

}  // namespace outbound::sender
