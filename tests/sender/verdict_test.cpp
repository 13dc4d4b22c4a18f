// Every failure class gets the text Salesforce's delivery status page shows for it.
#include "sender/verdict.hpp"

#include <gtest/gtest.h>

namespace outbound::sender {
namespace {

attempt_result failed(transport_error e, std::string detail = {}) {
  attempt_result r;
  r.error = e;
  r.detail = std::move(detail);
  return r;
}

attempt_result response(int status, std::string reason, std::string content_type,
                        std::string body) {
  attempt_result r;
  r.response = {status, std::move(reason), std::move(content_type), "", std::move(body)};
  return r;
}

const std::string ack_true =
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>"
    "</notificationsResponse></soapenv:Body></soapenv:Envelope>";

TEST(verdict, ack_true_is_delivered) {
  verdict v = judge(response(200, "OK", "text/xml", ack_true));
  EXPECT_TRUE(v.delivered);
  EXPECT_EQ(v.failure_class, "");
  EXPECT_EQ(v.reason, "");
}

TEST(verdict, transport_failures_in_java_wording) {
  using p = transport_phase;
  struct row {
    transport_error error;
    transport_phase phase;
    std::string host;
    int alert;
    std::string failure_class, reason;
  };
  const std::vector<row> rows{
      {transport_error::refused, p::connect, "", -1, "refused",
       "java.net.ConnectException: Connection refused (Connection refused)"},
      {transport_error::reset, p::read, "", -1, "reset",
       "java.net.SocketException: Connection reset"},
      {transport_error::reset, p::handshake, "", -1, "reset",
       "java.net.SocketException: Connection reset"},
      {transport_error::closed, p::read, "", -1, "closed",
       "java.net.SocketException: Unexpected end of file from server"},
      {transport_error::closed, p::handshake, "", -1, "tls",
       "javax.net.ssl.SSLHandshakeException: Remote host closed connection during handshake"},
      {transport_error::timeout, p::read, "", -1, "timeout",
       "java.net.SocketTimeoutException: Read timed out"},
      {transport_error::timeout, p::handshake, "", -1, "timeout",
       "java.net.SocketTimeoutException: Read timed out"},
      {transport_error::timeout, p::connect, "", -1, "timeout",
       "java.net.SocketTimeoutException: connect timed out"},
      {transport_error::unknown_host, p::resolve, "erp.example.com", -1, "unreachable",
       "java.net.UnknownHostException: erp.example.com"},
      {transport_error::unreachable, p::connect, "erp.example.com", -1, "unreachable",
       "java.net.NoRouteToHostException: No route to host (Host unreachable)"},
      {transport_error::tls_untrusted, p::handshake, "", -1, "tls",
       "javax.net.ssl.SSLHandshakeException: sun.security.validator.ValidatorException: PKIX "
       "path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
       "unable to find valid certification path to requested target"},
      {transport_error::tls_expired, p::handshake, "", -1, "tls",
       "javax.net.ssl.SSLHandshakeException: sun.security.validator.ValidatorException: PKIX "
       "path validation failed: java.security.cert.CertPathValidatorException: validity check "
       "failed"},
      {transport_error::tls_hostname, p::handshake, "erp.example.com", -1, "tls",
       "javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No "
       "subject alternative DNS name matching erp.example.com found."},
      {transport_error::tls_hostname, p::handshake, "10.1.2.3", -1, "tls",
       "javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No "
       "subject alternative names matching IP address 10.1.2.3 found"},
      {transport_error::tls_hostname, p::handshake, "", -1, "tls",
       "javax.net.ssl.SSLPeerUnverifiedException: peer not authenticated"},
      {transport_error::tls_alert, p::handshake, "", 40, "tls",
       "javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure"},
      {transport_error::tls_alert, p::handshake, "", 116, "tls",
       "javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_required"},
      {transport_error::protocol, p::read, "", -1, "protocol",
       "java.io.IOException: Invalid Http response"},
  };
  for (const row& r : rows) {
    attempt_result a = failed(r.error, "the system's text, never parsed");
    a.phase = r.phase;
    a.host = r.host;
    a.tls_alert = r.alert;
    const std::string what =
        std::string(to_string(r.error)) + " in " + std::string(to_string(r.phase));
    verdict v = judge(a);
    EXPECT_FALSE(v.delivered) << what;
    EXPECT_EQ(v.failure_class, r.failure_class) << what;
    EXPECT_EQ(v.reason, r.reason) << what;
  }
}

TEST(verdict, the_wording_depends_on_values_not_on_the_systems_text) {
  // Texts that string matching would once have misread: the cause and phase alone decide.
  attempt_result a = failed(transport_error::timeout, "connect timed out");
  a.phase = transport_phase::read;
  EXPECT_EQ(judge(a).reason, "java.net.SocketTimeoutException: Read timed out");
  attempt_result b = failed(transport_error::tls_untrusted, "certificate has expired");
  b.phase = transport_phase::handshake;
  EXPECT_NE(judge(b).reason.find("PKIX path building failed"), std::string::npos);
  attempt_result c = failed(transport_error::unreachable, "unknown host erp.example.com");
  c.phase = transport_phase::connect;
  EXPECT_EQ(judge(c).reason,
            "java.net.NoRouteToHostException: No route to host (Host unreachable)");
}

TEST(verdict, every_tls_alert_number_has_a_name) {
  EXPECT_EQ(tls_alert_name(48), "unknown_ca");
  EXPECT_EQ(tls_alert_name(200), "unknown alert 200");
}

TEST(verdict, complete_responses_are_classified_by_the_soap_layer) {
  verdict status = judge(response(503, "Service Unavailable", "text/html", "<html/>"));
  EXPECT_EQ(status.failure_class, "http_status");
  EXPECT_EQ(status.reason, "(503)Service Unavailable");

  verdict html = judge(response(200, "OK", "text/html", "Login page"));
  EXPECT_EQ(html.failure_class, "not_xml");
  EXPECT_EQ(html.reason, "org.xml.sax.SAXParseException: Content is not allowed in prolog.");

  std::string nack = ack_true;
  nack.replace(nack.find("true"), 4, "false");
  verdict n = judge(response(200, "OK", "text/xml", nack));
  EXPECT_EQ(n.failure_class, "nack");
  EXPECT_EQ(n.reason, "SOAP response was a nack");

  verdict empty = judge(response(200, "OK", "text/xml", ""));
  EXPECT_EQ(empty.failure_class, "empty");

  const std::string fault =
      "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode>"
      "<faultstring>ERP is down</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
  verdict f = judge(response(500, "Internal Server Error", "text/xml", fault));
  EXPECT_EQ(f.failure_class, "soap_fault");
  EXPECT_NE(f.reason.find("ERP is down"), std::string::npos) << f.reason;
}

}  // namespace
}  // namespace outbound::sender
