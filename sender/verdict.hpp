#pragma once
// How one delivery attempt ended, in the words of Salesforce's delivery status page: delivered
// (HTTP 200 with Ack true), or a failure class and the "Delivery Failure Reason" text.
//   verdict v = judge(result);
//   if (!v.delivered) store.record_failure(ids, v.reason);

#include <string>
#include <string_view>

#include "sender/transport.hpp"

namespace outbound::sender {

struct verdict {
  bool delivered = false;
  // A short stable class for counting and charts: "refused", "unreachable", "reset", "closed",
  // "timeout", "tls", "http_status", "not_xml", "empty", "not_an_ack", "nack", "soap_fault",
  // "protocol"; empty when delivered.
  std::string failure_class;
  // Salesforce's wording, e.g. "java.net.ConnectException: Connection refused",
  // "(503)Service Unavailable", "SOAP response was a nack"; empty when delivered.
  std::string reason;
};

verdict judge(const attempt_result& result);

// Java's name of a TLS alert number: 116 -> "certificate_required".
std::string tls_alert_name(int alert);

}  // namespace outbound::sender
