#include "mock_endpoint/outcome.hpp"

#include <algorithm>

#include <boost/beast/http/status.hpp>

namespace outbound::mock_endpoint {

std::string_view to_string(connection_action a) {
  switch (a) {
    case connection_action::accept:
      return "accept";
    case connection_action::refuse:
      return "refuse";
    case connection_action::close:
      return "close";
    case connection_action::stall:
      return "stall";
    case connection_action::reset:
      return "reset";
    case connection_action::tls_failure:
      return "tls_failure";
  }
  return "accept";
}

std::string_view to_string(response_action a) {
  switch (a) {
    case response_action::respond:
      return "respond";
    case response_action::close_without_response:
      return "close_without_response";
    case response_action::reset:
      return "reset";
    case response_action::stall:
      return "stall";
    case response_action::truncated:
      return "truncated";
    case response_action::garbage:
      return "garbage";
  }
  return "respond";
}

std::string_view to_string(tls_failure_kind k) {
  switch (k) {
    case tls_failure_kind::untrusted:
      return "untrusted";
    case tls_failure_kind::hostname:
      return "hostname";
    case tls_failure_kind::expired:
      return "expired";
    case tls_failure_kind::client_certificate:
      return "client_certificate";
  }
  return "untrusted";
}

// Beast keeps the IANA reason phrases; a status it does not know gets a neutral word.
std::string_view standard_reason(int status) {
  namespace http = boost::beast::http;
  const http::status known = http::int_to_status(static_cast<unsigned>(status));
  if (known == http::status::unknown) return "Unknown";
  const auto reason = http::obsolete_reason(known);
  return {reason.data(), reason.size()};
}

namespace {

// The status line, Content-Type and extra headers, each ending in CRLF.
std::string head_lines(const http_reply& r) {
  std::string head;
  head.reserve(160);
  head += "HTTP/1.1 ";
  head += std::to_string(r.status);
  head += ' ';
  head += r.reason.empty() ? standard_reason(r.status) : std::string_view(r.reason);
  head += "\r\n";
  if (!r.content_type.empty()) {
    head += "Content-Type: ";
    head += r.content_type;
    head += "\r\n";
  }
  for (const auto& [name, value] : r.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  return head;
}

}  // namespace

std::string serialize_chunked_head(const http_reply& r) {
  return head_lines(r) + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
}

std::string serialize_head(const http_reply& r, std::size_t content_length, bool keep_alive) {
  std::string head = head_lines(r);
  head += "Content-Length: ";
  head += std::to_string(content_length);
  head += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  return head;
}

std::vector<write_step> write_schedule(const outcome& o, std::size_t head, std::size_t total) {
  if (!o.slow_body && !o.bandwidth) return {{total, {}}};
  const std::uint64_t bps = o.bandwidth.value_or(0);
  auto at_bandwidth = [&](std::size_t n) {
    return bps == 0 ? duration{} : duration(static_cast<std::int64_t>(n * 1'000'000 / bps));
  };
  std::vector<write_step> steps;
  std::size_t sent = 0;
  if (o.slow_body) {
    const std::size_t chunk = std::max<std::size_t>(1, o.slow_body->bytes);
    std::size_t first = std::min(total, head + chunk);
    steps.push_back({first, std::max(o.slow_body->every, at_bandwidth(first))});
    sent = first;
    while (sent < total) {
      const std::size_t n = std::min(chunk, total - sent);
      steps.push_back({n, std::max(o.slow_body->every, at_bandwidth(n))});
      sent += n;
    }
    steps.back().wait = at_bandwidth(steps.back().bytes);
    return steps;
  }
  const std::size_t piece = std::max<std::uint64_t>(1, bps / 10);
  while (sent < total) {
    const std::size_t n = std::min(piece, total - sent);
    steps.push_back({n, at_bandwidth(n)});
    sent += n;
  }
  if (steps.empty()) steps.push_back({0, {}});
  return steps;
}

duration transfer_time(const std::vector<write_step>& steps) {
  duration sum{};
  for (const auto& s : steps) sum += s.wait;
  return sum;
}

simulated_effect simulate(const connection_outcome& c, duration client_timeout) {
  using e = effect_error;
  simulated_effect r;
  switch (c.action) {
    case connection_action::accept:
      break;  // go on with responder::handle
    case connection_action::refuse:
      r.error = e::refused;
      break;
    case connection_action::close:
      r.error = e::closed;
      break;
    case connection_action::reset:
      r.error = e::reset;
      break;
    case connection_action::stall:
      r.error = c.hold < client_timeout ? e::closed : e::timeout;
      r.elapsed = std::min(c.hold, client_timeout);
      break;
    case connection_action::tls_failure:
      r.error = c.tls == tls_failure_kind::hostname             ? e::tls_hostname
                : c.tls == tls_failure_kind::expired            ? e::tls_expired
                : c.tls == tls_failure_kind::client_certificate ? e::tls_client_certificate
                                                                : e::tls_untrusted;
      break;
  }
  return r;
}

simulated_effect simulate(const outcome& o, duration client_timeout) {
  using e = effect_error;
  simulated_effect r;
  std::size_t head = 0, total = 0;
  switch (o.action) {
    case response_action::respond:
      head = serialize_head(o.response, o.response.body.size(), o.keep_alive).size();
      total = head + o.response.body.size();
      r.error = e::none;
      r.response = o.response;
      break;
    case response_action::truncated:
      head = serialize_head(o.response, o.response.body.size(), false).size();
      total = head + o.truncated_at;
      r.error = e::closed;
      break;
    case response_action::garbage:
      total = o.garbage.size();
      r.error = e::protocol;
      break;
    case response_action::close_without_response:
      r.error = e::closed;
      break;
    case response_action::reset:
      r.error = e::reset;
      break;
    case response_action::stall:
      r.error = o.hold < client_timeout ? e::closed : e::timeout;
      r.elapsed = std::min(o.hold, client_timeout);
      r.response = {};
      return r;
  }
  r.elapsed = o.delay + (total ? transfer_time(write_schedule(o, head, total)) : duration{});
  if (r.elapsed >= client_timeout) {
    r.error = e::timeout;
    r.elapsed = client_timeout;
    r.response = {};
  }
  return r;
}

}  // namespace outbound::mock_endpoint
