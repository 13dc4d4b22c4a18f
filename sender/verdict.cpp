// The Delivery Failure Reason texts, all in this one place. Transport failures arrive as values
// (a cause and the phase it happened in, see transport.hpp) from the real and the virtual
// transport alike, and are worded as Salesforce's Java stack shows them on the "View Message
// Delivery Status" page (java.net / javax.net.ssl exception texts, as field reports quote them),
// so that an admin who knows those texts recognises the cause. Complete HTTP responses are judged
// by soap::classify_response.
#include "sender/verdict.hpp"

#include <algorithm>
#include <cctype>

#include "soap/ack.hpp"

namespace outbound::sender {
namespace {

bool is_ip_address(std::string_view host) {
  return !host.empty() && (host.find(':') != std::string_view::npos ||
                           std::all_of(host.begin(), host.end(), [](char c) {
                             return c == '.' || std::isdigit(static_cast<unsigned char>(c));
                           }));
}

verdict failure(std::string failure_class, std::string reason) {
  return verdict{false, std::move(failure_class), std::move(reason)};
}

}  // namespace

std::string tls_alert_name(int alert) {
  // The names of RFC 8446 section 6 (and RFC 5246's older ones), as Java prints them.
  switch (alert) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 20:
      return "bad_record_mac";
    case 22:
      return "record_overflow";
    case 40:
      return "handshake_failure";
    case 42:
      return "bad_certificate";
    case 43:
      return "unsupported_certificate";
    case 44:
      return "certificate_revoked";
    case 45:
      return "certificate_expired";
    case 46:
      return "certificate_unknown";
    case 47:
      return "illegal_parameter";
    case 48:
      return "unknown_ca";
    case 49:
      return "access_denied";
    case 50:
      return "decode_error";
    case 51:
      return "decrypt_error";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 86:
      return "inappropriate_fallback";
    case 90:
      return "user_canceled";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 112:
      return "unrecognized_name";
    case 113:
      return "bad_certificate_status_response";
    case 115:
      return "unknown_psk_identity";
    case 116:
      return "certificate_required";
    case 120:
      return "no_application_protocol";
    default:
      return "unknown alert " + std::to_string(alert);
  }
}

verdict judge(const attempt_result& r) {
  const bool in_handshake = r.phase == transport_phase::handshake;
  switch (r.error) {
    case transport_error::none: {
      const http_response& res = r.response;
      soap::response_verdict v =
          soap::classify_response(res.status, res.reason, res.content_type, res.body);
      if (v.kind == soap::response_kind::ack) return verdict{true, {}, {}};
      return failure(std::string(soap::to_string(v.kind)), std::move(v.reason));
    }
    case transport_error::refused:
      return failure("refused",
                     "java.net.ConnectException: Connection refused (Connection refused)");
    case transport_error::unknown_host:
      return failure("unreachable", "java.net.UnknownHostException: " + r.host);
    case transport_error::unreachable:
      return failure("unreachable",
                     "java.net.NoRouteToHostException: No route to host (Host unreachable)");
    case transport_error::reset:
      return failure("reset", "java.net.SocketException: Connection reset");
    case transport_error::closed:
      // A peer that hangs up mid-handshake is a handshake failure in Java's words.
      if (in_handshake)
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: Remote host closed connection during "
                       "handshake");
      return failure("closed", "java.net.SocketException: Unexpected end of file from server");
    case transport_error::timeout:
      if (r.phase == transport_phase::resolve || r.phase == transport_phase::connect)
        return failure("timeout", "java.net.SocketTimeoutException: connect timed out");
      return failure("timeout", "java.net.SocketTimeoutException: Read timed out");
    case transport_error::tls_untrusted:
      return failure("tls",
                     "javax.net.ssl.SSLHandshakeException: sun.security.validator."
                     "ValidatorException: PKIX path building failed: sun.security.provider."
                     "certpath.SunCertPathBuilderException: unable to find valid certification "
                     "path to requested target");
    case transport_error::tls_expired:
      return failure("tls",
                     "javax.net.ssl.SSLHandshakeException: sun.security.validator."
                     "ValidatorException: PKIX path validation failed: java.security.cert."
                     "CertPathValidatorException: validity check failed");
    case transport_error::tls_hostname:
      if (r.host.empty())
        return failure("tls", "javax.net.ssl.SSLPeerUnverifiedException: peer not authenticated");
      if (is_ip_address(r.host))
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: java.security.cert."
                       "CertificateException: No subject alternative names matching IP address " +
                           r.host + " found");
      return failure("tls",
                     "javax.net.ssl.SSLHandshakeException: java.security.cert."
                     "CertificateException: No subject alternative DNS name matching " +
                         r.host + " found.");
    case transport_error::tls_alert:
      return failure("tls", "javax.net.ssl.SSLHandshakeException: Received fatal alert: " +
                                tls_alert_name(r.tls_alert));
    case transport_error::tls_other:
      if (r.detail.empty())
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: Remote host closed connection during "
                       "handshake");
      return failure("tls", "javax.net.ssl.SSLException: " + r.detail);
    case transport_error::protocol:
      return failure("protocol", "java.io.IOException: Invalid Http response");
  }
  return failure("protocol", "java.io.IOException: " + r.detail);
}

}  // namespace outbound::sender
