// The Delivery Failure Reason texts. Transport failures are worded as Salesforce's Java stack shows
// them on the "View Message Delivery Status" page (java.net / javax.net.ssl exception texts, as
// field reports quote them), so that an admin who knows those texts recognises the cause.
// Complete HTTP responses are judged by soap::classify_response.
#include "sender/verdict.hpp"

#include <algorithm>
#include <cctype>

#include "soap/ack.hpp"

namespace outbound::sender {
namespace {

bool contains(std::string_view text, std::string_view what) {
  auto it = std::search(text.begin(), text.end(), what.begin(), what.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

bool is_ip_address(std::string_view host) {
  return !host.empty() && (host.find(':') != std::string_view::npos ||
                           std::all_of(host.begin(), host.end(), [](char c) {
                             return c == '.' || std::isdigit(static_cast<unsigned char>(c));
                           }));
}

verdict failure(std::string failure_class, std::string reason) {
  return verdict{false, std::move(failure_class), std::move(reason)};
}

// OpenSSL's "sslv3 alert handshake failure" becomes Java's "Received fatal alert:
// handshake_failure".
std::string alert_name(std::string_view detail) {
  auto at = detail.find("alert ");
  if (at == std::string_view::npos) return {};
  std::string name(detail.substr(at + 6));
  if (auto end = name.find_first_of("(:"); end != std::string::npos) name.resize(end);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

verdict judge_tls(const attempt_result& r) {
  switch (r.error) {
    case transport_error::tls_untrusted:
      if (contains(r.detail, "expired") || contains(r.detail, "not yet valid"))
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: sun.security.validator."
                       "ValidatorException: PKIX path validation failed: java.security.cert."
                       "CertPathValidatorException: validity check failed");
      return failure("tls",
                     "javax.net.ssl.SSLHandshakeException: sun.security.validator."
                     "ValidatorException: PKIX path building failed: sun.security.provider."
                     "certpath.SunCertPathBuilderException: unable to find valid certification "
                     "path to requested target");
    case transport_error::tls_hostname:
      // The transport puts the host name it verified in `detail`.
      if (r.detail.empty())
        return failure("tls", "javax.net.ssl.SSLPeerUnverifiedException: peer not authenticated");
      if (is_ip_address(r.detail))
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: java.security.cert."
                       "CertificateException: No subject alternative names matching IP address " +
                           r.detail + " found");
      return failure("tls",
                     "javax.net.ssl.SSLHandshakeException: java.security.cert."
                     "CertificateException: No subject alternative DNS name matching " +
                         r.detail + " found.");
    default: {
      std::string alert = alert_name(r.detail);
      if (!alert.empty())
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: Received fatal alert: " + alert);
      if (r.detail.empty() || contains(r.detail, "end of file") || contains(r.detail, "truncated"))
        return failure("tls",
                       "javax.net.ssl.SSLHandshakeException: Remote host closed connection during "
                       "handshake");
      return failure("tls", "javax.net.ssl.SSLException: " + r.detail);
    }
  }
}

}  // namespace

verdict judge(const attempt_result& r) {
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
    case transport_error::unreachable:
      // The transport writes "unknown host NAME" when the name does not resolve.
      if (r.detail.starts_with("unknown host "))
        return failure("unreachable", "java.net.UnknownHostException: " + r.detail.substr(13));
      return failure("unreachable",
                     "java.net.NoRouteToHostException: No route to host (Host unreachable)");
    case transport_error::reset:
      return failure("reset", "java.net.SocketException: Connection reset");
    case transport_error::closed:
      return failure("closed", "java.net.SocketException: Unexpected end of file from server");
    case transport_error::timeout:
      if (contains(r.detail, "connect"))
        return failure("timeout", "java.net.SocketTimeoutException: connect timed out");
      return failure("timeout", "java.net.SocketTimeoutException: Read timed out");
    case transport_error::tls_untrusted:
    case transport_error::tls_hostname:
    case transport_error::tls_other:
      return judge_tls(r);
    case transport_error::protocol:
      return failure("protocol", "java.io.IOException: Invalid Http response");
  }
  return failure("protocol", "java.io.IOException: " + r.detail);
}

}  // namespace outbound::sender
