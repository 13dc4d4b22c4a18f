// Connecting and exchanging on one connection; failures become attempt_results, never exceptions.
// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames (allocated and freed
// by the same awaitable_frame_base operators).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include "sender/http_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <array>

#include "sender/response_head.hpp"

namespace outbound::sender {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

attempt_result failed(transport_phase phase, transport_error e, std::string detail) {
  attempt_result r;
  r.error = e;
  r.phase = phase;
  r.detail = std::move(detail);
  return r;
}

// The alert a TLS peer sent, from OpenSSL's reason code (SSL_AD_REASON_OFFSET + the alert
// number); -1 when the error is not a received alert.
int received_alert(const error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return -1;
  const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
  if (reason < SSL_AD_REASON_OFFSET || reason >= SSL_AD_REASON_OFFSET + 256) return -1;
  return reason - SSL_AD_REASON_OFFSET;
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

transport_error classify_error(const error_code& ec) {
  if (ec == beast::error::timeout) return transport_error::timeout;
  if (ec == asio::error::connection_refused) return transport_error::refused;
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::error::connection_aborted)
    return transport_error::reset;
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
      ec == asio::error::no_data || ec == asio::error::network_unreachable ||
      ec == asio::error::host_unreachable || ec == asio::error::network_down)
    return transport_error::unreachable;
  if (ec == asio::error::eof || ec == http::error::end_of_stream ||
      ec == http::error::partial_message || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::operation_aborted)
    return transport_error::closed;
  if (ec.category() == asio::error::get_ssl_category()) return transport_error::tls_other;
  return transport_error::protocol;  // the parser's complaints: not HTTP, limits exceeded
}

http_connection::http_connection(asio::any_io_executor ex, asio::ssl::context* tls,
                                 connection_watch* watch)
    : resolver_(ex), tls_context_(tls), watch_(watch) {
  if (tls_context_)
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(ex, *tls_context_);
  else
    plain_ = std::make_unique<asio::ip::tcp::socket>(ex);
  if (watch_) watch_->add(this);
}

http_connection::~http_connection() {
  if (watch_) watch_->forget(this);
}

asio::ip::tcp::socket& http_connection::tcp() {
  return tls_ ? tls_->next_layer() : *plain_;
}

void http_connection::close() {
  resolver_.cancel();
  error_code ignored;
  tcp().close(ignored);
}

void http_connection::expire() {
  timed_out_ = true;
  deadline_.reset();
  close();
}

void http_connection::set_deadline(duration d) {
  const auto now = std::chrono::steady_clock::now();
  deadline_ = now + d;
  if (watch_) watch_->wake_by(now, *deadline_);
}

asio::awaitable<attempt_result> http_connection::connect(const destination& ep,
                                                         duration connect_timeout,
                                                         duration handshake_timeout) {
  host_ = ep.host;
  timed_out_ = false;
  const phase_end end{deadline_};
  set_deadline(connect_timeout);  // a name that takes long to resolve counts against it too
  auto [resolve_ec, addresses] = co_await resolver_.async_resolve(ep.host, ep.port, use_tuple);
  if (resolve_ec) {
    const bool unknown = resolve_ec == asio::error::host_not_found ||
                         resolve_ec == asio::error::host_not_found_try_again ||
                         resolve_ec == asio::error::no_data;
    co_return with_host(failed(transport_phase::resolve,
                               timed_out_ ? transport_error::timeout
                               : unknown  ? transport_error::unknown_host
                                          : classify_error(resolve_ec),
                               resolve_ec.message()));
  }
  auto [connect_ec, peer] = co_await asio::async_connect(tcp(), addresses, use_tuple);
  (void)peer;
  if (connect_ec)
    co_return with_host(failed(transport_phase::connect,
                               timed_out_ ? transport_error::timeout : classify_error(connect_ec),
                               connect_ec.message()));
  tcp().set_option(asio::ip::tcp::no_delay(true));
  if (!tls_) co_return attempt_result{};

  // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's IP SANs.
  if (!is_ip_literal(ep.host)) SSL_set_tlsext_host_name(tls_->native_handle(), ep.host.c_str());
  auto state = verify_;
  tls_->set_verify_callback([state, check = asio::ssl::host_name_verification(ep.host)](
                                bool preverified, asio::ssl::verify_context& ctx) {
    if (!preverified) {
      if (state->x509_error == 0) state->x509_error = X509_STORE_CTX_get_error(ctx.native_handle());
      return false;
    }
    if (!check(preverified, ctx)) {
      state->hostname_mismatch = true;
      return false;
    }
    return true;
  });
  set_deadline(handshake_timeout);
  auto [handshake_ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (handshake_ec) co_return with_host(handshake_failure(handshake_ec));
  co_return attempt_result{};
}

attempt_result http_connection::with_host(attempt_result r) const {
  r.host = host_;
  return r;
}

attempt_result http_connection::handshake_failure(const error_code& ec) const {
  constexpr auto at = transport_phase::handshake;
  if (timed_out_) return failed(at, transport_error::timeout, ec.message());
  const int x509 = verify_->x509_error;
  if (verify_->hostname_mismatch || x509 == X509_V_ERR_HOSTNAME_MISMATCH ||
      x509 == X509_V_ERR_IP_ADDRESS_MISMATCH)
    return failed(at, transport_error::tls_hostname, "certificate does not match the host name");
  if (x509 == X509_V_ERR_CERT_HAS_EXPIRED || x509 == X509_V_ERR_CERT_NOT_YET_VALID)
    return failed(at, transport_error::tls_expired, X509_verify_cert_error_string(x509));
  if (x509 != 0)
    return failed(at, transport_error::tls_untrusted, X509_verify_cert_error_string(x509));
  if (int alert = received_alert(ec); alert >= 0) {
    attempt_result r = failed(at, transport_error::tls_alert, ec.message());
    r.tls_alert = alert;
    return r;
  }
  const transport_error e = classify_error(ec);
  if (e == transport_error::timeout || e == transport_error::reset || e == transport_error::closed)
    return failed(at, e, ec.message());
  return failed(at, transport_error::tls_other, ec.message());
}

asio::awaitable<error_code> http_connection::write(std::string_view head, std::string_view body) {
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
  error_code ec;
  if (tls_)
    std::tie(ec, std::ignore) = co_await asio::async_write(*tls_, buffers, use_tuple);
  else
    std::tie(ec, std::ignore) = co_await asio::async_write(*plain_, buffers, use_tuple);
  co_return ec;
}

attempt_result http_connection::failure(const error_code& ec, transport_phase phase,
                                        bool got_some) {
  if (int alert = received_alert(ec); alert >= 0) {
    // A TLS 1.3 server judges the client's certificate after the client's handshake is done:
    // its refusal arrives with the first read, yet it is the handshake that failed.
    attempt_result r = with_host(failed(uses_ == 1 ? transport_phase::handshake : phase,
                                        transport_error::tls_alert, ec.message()));
    r.tls_alert = alert;
    return r;
  }
  const transport_error e = timed_out_ ? transport_error::timeout : classify_error(ec);
  stale_ = !got_some && (e == transport_error::closed || e == transport_error::reset);
  return with_host(failed(phase, e, ec.message()));
}

asio::awaitable<attempt_result> http_connection::exchange(std::string_view head,
                                                          std::string_view body, duration timeout,
                                                          std::size_t body_limit) {
  ++uses_;
  reusable_ = false;
  stale_ = false;
  const phase_end end{deadline_};
  set_deadline(timeout);
  if (const error_code ec = co_await write(head, body))
    co_return failure(ec, transport_phase::write, false);

  // The common response is read in place; any other goes to Beast's parser, with what was read.
  for (;;) {
    const head_reading h = read_response_head(buffered(), body_limit);
    if (h.outcome == head_outcome::declined) break;
    if (h.outcome == head_outcome::incomplete) {
      if (const error_code ec = co_await read_more(0))
        co_return failure(ec, transport_phase::read, buffer_.size() > 0);
      continue;
    }
    const std::size_t total = h.head.size + h.head.content_length;
    response_head got = h.head;
    if (buffer_.size() < total) {
      while (buffer_.size() < total)
        if (const error_code ec = co_await read_more(total - buffer_.size()))
          co_return failure(ec, transport_phase::read, true);
      // Read again: reading the body may have moved the buffer the views pointed into.
      got = read_response_head(buffered(), body_limit).head;
    }
    attempt_result r;
    r.response.status = got.status;
    r.response.reason = std::string(got.reason);
    r.response.content_type = std::string(got.content_type);
    r.response.retry_after = std::string(got.retry_after);
    r.response.body = std::string(buffered().substr(got.size, got.content_length));
    buffer_.consume(total);
    reusable_ = got.keep_alive;
    co_return r;
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  error_code read_ec;
  if (tls_)
    std::tie(read_ec, std::ignore) = co_await http::async_read(*tls_, buffer_, parser, use_tuple);
  else
    std::tie(read_ec, std::ignore) = co_await http::async_read(*plain_, buffer_, parser, use_tuple);
  if (read_ec) co_return failure(read_ec, transport_phase::read, parser.got_some());
  auto& res = parser.get();
  reusable_ = res.keep_alive() && !parser.need_eof();
  attempt_result r;
  r.response.status = static_cast<int>(res.result_int());
  r.response.reason = std::string(res.reason());
  r.response.content_type = std::string(res[http::field::content_type]);
  r.response.retry_after = std::string(res[http::field::retry_after]);
  r.response.body = std::move(res.body());
  co_return r;
}

std::string_view http_connection::buffered() const {
  const auto data = buffer_.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

asio::awaitable<error_code> http_connection::read_more(std::size_t wanted) {
  const auto space = buffer_.prepare(std::max<std::size_t>(wanted, 4096));
  error_code ec;
  std::size_t n = 0;
  if (tls_)
    std::tie(ec, n) = co_await tls_->async_read_some(space, use_tuple);
  else
    std::tie(ec, n) = co_await plain_->async_read_some(space, use_tuple);
  buffer_.commit(n);
  co_return ec;
}

asio::awaitable<attempt_result> http_connection::exchange_streaming(
    std::string_view head, std::string_view body, std::optional<duration> deadline,
    body_sink sink) {
  ++uses_;
  reusable_ = false;
  stale_ = false;
  const phase_end end{deadline_};
  if (deadline) set_deadline(*deadline);
  if (const error_code ec = co_await write(head, body))
    co_return failure(ec, transport_phase::write, false);

  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  auto read = [&]() -> asio::awaitable<error_code> {
    error_code ec;
    if (tls_)
      std::tie(ec, std::ignore) = co_await http::async_read_some(*tls_, buffer_, parser, use_tuple);
    else
      std::tie(ec, std::ignore) =
          co_await http::async_read_some(*plain_, buffer_, parser, use_tuple);
    co_return ec == http::error::need_buffer ? error_code() : ec;
  };
  attempt_result r;
  std::array<char, 16 * 1024> piece;
  error_code head_ec;
  if (tls_)
    std::tie(head_ec, std::ignore) =
        co_await http::async_read_header(*tls_, buffer_, parser, use_tuple);
  else
    std::tie(head_ec, std::ignore) =
        co_await http::async_read_header(*plain_, buffer_, parser, use_tuple);
  if (head_ec) co_return failure(head_ec, transport_phase::read, parser.got_some());
  const auto& res = parser.get();
  r.response.status = static_cast<int>(res.result_int());
  r.response.reason = std::string(res.reason());
  r.response.content_type = std::string(res[http::field::content_type]);
  r.response.retry_after = std::string(res[http::field::retry_after]);
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    if (const error_code ec = co_await read()) {
      attempt_result broken = failure(ec, transport_phase::read, true);
      broken.response = std::move(r.response);
      co_return broken;
    }
    const std::size_t got = piece.size() - parser.get().body().size;
    if (got > 0 && !sink(r.response, std::string_view(piece.data(), got))) {
      close();
      co_return r;
    }
  }
  co_return r;
}

}  // namespace outbound::sender
